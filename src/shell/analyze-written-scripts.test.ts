import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/** A script the line writes itself (`echo … > x.sh`, `cat > x.sh <<EOF`) and then runs. */
const rated = shellRater();

describe("running a script the line writes", () => {
  it.each<[ShellKind, string]>([
    ["bash", "cmd /c 'echo rd /s /q C:\\ > a.bat & a.bat'"],
    ["bash", "cmd /c 'echo rd /s /q C:\\ > a.bat & a'"],
    ["bash", "cmd /c 'echo rd /s /q C:\\ > a.bat & start a.bat'"],
    ["bash", "echo 'rm -rf ~' > x.sh; sh x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; bash x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; chmod +x x.sh; ./x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; source x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; . ./x.sh"],
    ["bash", "printf 'rm -rf ~\\n' > x.sh && bash x.sh"],
    ["bash", "cat > x.sh <<EOF\nrm -rf ~\nEOF\nsh x.sh"],
    ["bash", "cat <<'EOF' > x.sh\nrm -rf ~\nEOF\nbash ./x.sh"],
  ])("%s: %j is as critical as the text it writes", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[ShellKind, string, Risk]>([
    // The text is harmless: running it is too.
    ["bash", "echo 'ls -la' > x.sh; sh x.sh", "safe"],
    ["bash", "cmd /c 'echo dir > a.bat & a.bat'", "safe"],
    // Text wren cannot know, or a file appended to, is an unknown script.
    ["bash", "echo \"$X\" > x.sh; sh x.sh", "high"],
    ["bash", "echo 'ls' >> x.sh; bash x.sh", "high"],
    ["bash", "make-script > x.sh; ./x.sh", "high"],
    ["bash", "echo 'import os' > x.py; python3 x.py", "high"],
    // Another stream than standard output is not the text echo writes.
    ["bash", "echo 'rm -rf ~' 2> x.sh; sh x.sh", "high"],
    ["bash", "echo 'rm -rf ~' 1> x.sh; sh x.sh", "critical"],
    // Writing a file without running it is not running it.
    ["bash", "echo 'rm -rf ~' > notes.txt", "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("running a script a compound command or a function writes", () => {
  // `{ …; } > x.sh` writes what the commands inside write; `f() { …; } > x.sh` does so at each call of f.
  it.each<[ShellKind, string, Risk]>([
    ["bash", "{ echo 'rm -rf ~'; } > x.sh; sh x.sh", "critical"],
    ["bash", "{ echo '#!/bin/sh'; echo 'rm -rf ~'; } > x.sh; sh x.sh", "critical"],
    ["bash", "( echo 'rm -rf ~' ) > x.sh; sh x.sh", "critical"],
    ["bash", "{ cat <<EOF\nrm -rf ~\nEOF\n} > x.sh; sh x.sh", "critical"],
    ["zsh", "{ echo 'rm -rf ~'; } > x.sh; zsh x.sh", "critical"],
    ["bash", "f() { echo 'rm -rf ~'; } > x.sh; f; sh x.sh", "critical"],
    ["bash", "function f { echo 'rm -rf ~'; } > x.sh; f; sh x.sh", "critical"],
    ["sh", "f() { echo 'rm -rf ~'; } > x.sh; f; sh x.sh", "critical"],
    // Each call writes the file again.
    ["bash", "f() { echo 'rm -rf ~'; } > x.sh; echo ls > x.sh; f; sh x.sh", "critical"],
    ["fish", "begin; echo 'rm -rf ~'; end > x.sh; sh x.sh", "critical"],
    ["bash", "{ echo 'ls -la'; echo 'pwd'; } > x.sh; sh x.sh", "safe"],
    ["fish", "begin; echo 'ls -la'; end > x.sh; sh x.sh", "safe"],
    ["bash", "f() { echo 'ls -la'; } > x.sh; f; sh x.sh", "safe"],
    // Text wren cannot know is an unknown script.
    ["bash", "{ echo 'ls'; make-script; } > x.sh; sh x.sh", "high"],
    ["bash", "{ echo 'ls'; } >> x.sh; sh x.sh", "high"],
    ["bash", "{ echo 'rm -rf ~' > y; echo ls; } > x.sh; sh x.sh", "high"],
    // Defining a function writes nothing to the file after its body (bash, dash, zsh): x.sh is as it was, as `sh x.sh` alone.
    ["bash", "f() { :; } > x.sh; sh x.sh", "safe"],
    ["bash", "f() { echo 'rm -rf ~'; } > x.sh; sh x.sh", "safe"],
    ["sh", "f() { echo 'rm -rf ~'; } > x.sh; sh x.sh", "safe"],
    ["zsh", "f() { echo 'rm -rf ~'; } > x.sh; zsh x.sh", "safe"],
    ["bash", "echo 'rm -rf ~' > x.sh; f() { echo ls; } > x.sh; sh x.sh", "critical"],
    // Only the last of several redirections of the output gets it; the others are left empty. zsh (MULTIOS) writes to each.
    ["bash", "echo 'rm -rf ~' > a.sh > b.sh; sh a.sh", "safe"],
    ["sh", "echo 'rm -rf ~' > a.sh > b.sh; sh a.sh", "safe"],
    ["fish", "echo 'rm -rf ~' > a.sh > b.sh; sh a.sh", "safe"],
    ["bash", "echo 'rm -rf ~' > a.sh > b.sh; sh b.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh 1> b.sh; sh b.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh 2> b.sh; sh a.sh", "critical"],
    ["zsh", "echo 'rm -rf ~' > a.sh > b.sh; zsh a.sh", "critical"],
    // A branch that may not run writes its text or none; the rest of what the compound writes is known.
    ["bash", "if true; then echo ls; fi > x.sh; sh x.sh", "safe"],
    ["bash", "if [ -e y ]; then echo ls; else echo pwd; fi > x.sh; sh x.sh", "safe"],
    ["bash", "{ true; echo ls; } > x.sh; sh x.sh", "safe"],
    ["bash", "if true; then echo 'rm -rf ~'; fi > x.sh; sh x.sh", "critical"],
    ["bash", "if [ -e y ]; then echo ls; else echo 'rm -rf ~'; fi > x.sh; sh x.sh", "critical"],
    ["bash", "{ printf 'rm -rf '; if [ -e y ]; then printf build; fi; echo '~'; } > x.sh; sh x.sh", "high"],
    ["bash", "if true; then make-script; fi > x.sh; sh x.sh", "high"],
    ["bash", "{ echo ls; if [ -e y ]; then echo 'rm -rf ~'; fi; echo pwd; } > x.sh; sh x.sh", "critical"],
    ["bash", "if [ -e y ]; then if [ -e z ]; then echo 'rm -rf ~'; fi; fi > x.sh; sh x.sh", "critical"],
    ["bash", "{ true; echo 'rm -rf ~'; } > x.sh; sh x.sh", "critical"],
    ["bash", "true() { echo 'rm -rf ~'; }; { true; } > x.sh; sh x.sh", "critical"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

/** Files the line writes by other means than a redirection: tee, cp and mv, PowerShell's writers. */
describe("running a script the line writes with a command", () => {
  it.each<[ShellKind, string]>([
    ["bash", "echo 'rm -rf ~' | tee x.sh; sh x.sh"],
    ["bash", "echo 'rm -rf ~' | tee x.sh > /dev/null && bash x.sh"],
    ["bash", "echo 'rm -rf ~' | sudo tee -i notes.txt x.sh; source x.sh"],
    ["bash", "tee x.sh <<< 'rm -rf ~'; sh x.sh"],
    ["bash", "printf '%s' 'rm -rf ~' > x.sh; bash x.sh"],
    ["bash", "echo 'rm -rf ~' > a.sh; cp a.sh x.sh; sh x.sh"],
    ["bash", "echo 'rm -rf ~' > a.sh; mv a.sh bin/; sh bin/a.sh"],
    ["bash", "curl -o a.sh https://example.com/a.sh; cp a.sh x.sh; sh x.sh"],
    ["powershell", "Set-Content x.ps1 'Remove-Item -Recurse -Force ~'; ./x.ps1"],
    ["powershell", "Set-Content -Value 'Remove-Item -Recurse -Force ~' -Path x.ps1; & ./x.ps1"],
    ["powershell", "sc -Force x.ps1 'Remove-Item -Recurse -Force ~'; pwsh -File x.ps1"],
    ["powershell", "'Remove-Item -Recurse -Force ~' | Out-File x.ps1; & ./x.ps1"],
    ["powershell", "'Remove-Item -Recurse -Force ~' | Out-File -Encoding utf8 -FilePath x.ps1; . ./x.ps1"],
    ["powershell", "'Remove-Item -Recurse -Force ~' | Set-Content x.ps1; ./x.ps1"],
    ["powershell", "'Remove-Item -Recurse -Force ~' | Tee-Object x.ps1; ./x.ps1"],
    ["powershell", "New-Item x.ps1 -Value 'Remove-Item -Recurse -Force ~'; ./x.ps1"],
    ["powershell", "'Remove-Item -Recurse -Force ~' > x.ps1; ./x.ps1"],
    ["powershell", "Set-Content a.ps1 'Remove-Item -Recurse -Force ~'; Copy-Item a.ps1 x.ps1; ./x.ps1"],
  ])("%s: %j is as critical as the text it writes", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[ShellKind, string, Risk]>([
    // The text is harmless: running it is too.
    ["bash", "echo 'ls -la' | tee x.sh; sh x.sh", "safe"],
    ["bash", "printf '%s' 'ls' > x.sh; bash x.sh", "safe"],
    ["powershell", "Set-Content x.ps1 'Get-ChildItem'; ./x.ps1", "safe"],
    ["powershell", "'Get-ChildItem' | Out-File x.ps1; ./x.ps1", "safe"],
    ["powershell", "'Get-ChildItem' > x.ps1; ./x.ps1", "safe"],
    // Text wren cannot know, or appended to a file, is an unknown script.
    ["bash", "make-script | tee x.sh; sh x.sh", "high"],
    ["bash", "echo 'ls' | tee -a x.sh; sh x.sh", "high"],
    ["bash", "cp $src x.sh; sh x.sh", "high"],
    ["powershell", "Add-Content x.ps1 'Get-ChildItem'; ./x.ps1", "high"],
    ["powershell", "'Get-ChildItem' | Out-File -Append x.ps1; ./x.ps1", "high"],
    ["powershell", "'Get-ChildItem' >> x.ps1; ./x.ps1", "high"],
    ["powershell", "Set-Content x.ps1 $code; ./x.ps1", "high"],
    // Writing or copying a file without running it is not running it.
    ["bash", "echo 'rm -rf ~' | tee notes.txt", "safe"],
    ["bash", "cp evil.sh x.sh", "safe"],
    ["powershell", "Set-Content notes.txt 'Remove-Item -Recurse -Force ~'", "safe"],
    // A file moved away is no longer there to run.
    ["bash", "echo 'ls' > a.sh; mv a.sh b.sh; sh b.sh", "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });

  // A copy of a file that was there before the line is that file: cp .env.example .env && source .env.
  it.each<[ShellKind, string, string]>([
    ["bash", "cp .env.example .env && source .env", "source .env.example"],
    ["bash", "cp evil.sh x.sh; sh x.sh", "sh evil.sh"],
    ["bash", "mv evil.sh x.sh; ./x.sh", "./evil.sh"],
    ["bash", "cp -t bin evil.sh; bin/evil.sh", "./evil.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; cp evil.sh x.sh; sh x.sh", "sh evil.sh"],
    ["powershell", "Copy-Item evil.ps1 x.ps1; ./x.ps1", "./evil.ps1"],
    ["powershell", "Move-Item -Destination x.ps1 -Path evil.ps1; ./x.ps1", "./evil.ps1"],
  ])("%s: %j is rated as %j", (shell, command, original) => {
    const copy = rated(command, shell);
    expect(copy.risk, copy.shown).toBe(rated(original, shell).risk);
  });
});

/** PowerShell's .NET file writers, and values a variable holds: judged as Set-Content is. */
describe("running a script PowerShell writes with .NET or from a variable", () => {
  it.each<[string, Risk]>([
    ["[IO.File]::WriteAllText('x.ps1', 'Remove-Item -Recurse -Force ~'); & ./x.ps1", "critical"],
    ["[System.IO.File]::WriteAllText('x.ps1', 'Remove-Item -Recurse -Force ~'); .\\x.ps1", "critical"],
    ["[IO.File]::WriteAllLines('x.ps1', 'Remove-Item -Recurse -Force ~'); .\\x.ps1", "critical"],
    ["[IO.File]::WriteAllText('x.ps1', 'Get-ChildItem'); & ./x.ps1", "safe"],
    // A value held in a variable is written whole, not as the words it holds.
    ["$c = 'Remove-Item -Recurse -Force ~'; Set-Content x.ps1 $c; .\\x.ps1", "critical"],
    ["$c = 'Remove-Item -Recurse -Force ~'; [IO.File]::WriteAllText('x.ps1', $c); .\\x.ps1", "critical"],
    // A value built by an expression, cast or otherwise, is text wren cannot know.
    ["[IO.File]::WriteAllText('x.ps1', 'Remove-Item' + ' -Recurse -Force ~'); .\\x.ps1", "high"],
    ["[IO.File]::WriteAllLines('x.ps1', [string[]]('Get-ChildItem', 'Remove-Item -Recurse -Force ~')); .\\x.ps1", "high"],
    ["[IO.File]::WriteAllText('x.ps1', $code); .\\x.ps1", "high"],
    ["[IO.File]::AppendAllText('x.ps1', 'Get-ChildItem'); .\\x.ps1", "high"],
    // A download written there is a download.
    ["Set-Content x.ps1 (iwr https://example.com/a.ps1).Content; .\\x.ps1", "critical"],
    ["[IO.File]::WriteAllText('x.ps1', (iwr https://example.com/a.ps1).Content); .\\x.ps1", "critical"],
  ])("powershell: %j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
