import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * Commands that may change variables behind wren's back (`eval`, `source`, `read`, `printf -v`,
 * `declare "$n=…"`), values that are one of several (`x=${y:-/}`) and a `cd` to such a value: a
 * later use is judged with every value it may have, and the worst counts.
 */
const rated = shellRater();

describe("variables that may have changed or hold one of several values", () => {
  it.each<string>([
    // eval of literal text: what it assigns holds for the rest of the line.
    'x=/tmp/x; eval "x=/"; rm -rf $x',
    "x=/tmp/x; eval x=/; rm -rf \"$x\"",
    "eval 'x=/'; rm -rf $x",
    "x=/tmp/x; . <(echo x=/); rm -rf $x",
    // A value known before a change wren cannot follow is still one reading of it.
    'x=/; eval "$s"; rm -rf $x',
    "x=/; source ./env.sh; rm -rf $x",
    // x is y's value or /.
    "x=${y:-/}; rm -rf $x",
    'x="${y:-/}"; rm -rf "$x"',
    "export x=${y:-/}; sh -c 'rm -rf $x'",
    // The cd may go to /.
    "cd ${x:-/} && rm -rf *",
    "cd \"${x:-/}\"; rm -rf ./*",
    "x=${y:-/}; cd $x && rm -rf *",
    // A cd in eval or source text wren can read moves the line's own shell, as one on the line does.
    "eval 'cd /'; rm -rf *",
    'eval "cd $HOME" && rm -rf *',
    "source <(echo 'cd /'); rm -rf *",
    "eval 'pushd /'; rm -rf *",
    "eval 'cd /tmp; cd ..'; rm -rf ./*",
    "eval \"eval 'cd /'\"; rm -rf *",
    "eval 'cd ${x:-/}'; rm -rf *",
    // A subshell in the text restores what it changed, and what follows it still holds afterwards.
    "eval '(true); x=/'; rm -rf $x",
    "x=/tmp/x; eval '(x=build); x=/'; rm -rf \"$x\"",
    "x=/tmp/x; source <(echo '(true); x=/'); rm -rf $x",
    "eval '(true); cd /'; rm -rf *",
    "x=/; eval '(x=build)'; rm -rf $x",
    // A pipeline stage and a $(…) run in subshells: what they assign is gone afterwards.
    "x=/; printf -v x build | cat; rm -rf $x",
    "x=/; eval x=build | cat; rm -rf $x",
    "x=/; echo $(x=build); rm -rf $x",
    "x=/; echo \"$(eval x=build)\"; rm -rf $x",
    "x=/; x=build | cat; rm -rf $x",
    "x=/; { x=build; } | cat; rm -rf $x",
    "x=/; { x=build; } 2>/dev/null | cat; rm -rf $x",
    "x=/; x=build | cat > out.txt; rm -rf $x",
    // A command after && or ||, or in a branch of if or case, may not run: the value before it holds too.
    "x=/; test -e y && x=build; rm -rf $x",
    "x=/; test -e y || x=build; rm -rf $x",
    "x=/; if test -e y; then x=build; fi; rm -rf $x",
    "x=/; case $1 in a) x=build;; esac; rm -rf $x",
    "cd /; test -e y && cd build; rm -rf *",
    // The last stage runs in a subshell too, unless `shopt -s lastpipe` runs it in the line's shell,
    // where what it assigns or where it cds holds: the rest of the line is judged both ways.
    "x=/; cat | x=build; rm -rf $x",
    "x=/; cat | { x=build; }; rm -rf $x",
    "x=/; cat | x=build > out.txt; rm -rf $x",
    "shopt -s lastpipe; x=build; cat | x=/; rm -rf $x",
    "shopt -s lastpipe; x=build; cat | printf -v x /; rm -rf $x",
    "x=build; cat | printf -v x /; rm -rf $x",
    "x=/; cat | printf -v x build; rm -rf $x",
    "x=build; cat | { x=/; }; rm -rf $x",
    "echo | cd / && rm -rf *",
    "echo | { cd /; } && rm -rf *",
    // eval of text only known at run time may cd anywhere, and the directory it leaves is judged too.
    'eval "$s"; rm -rf ../..',
    // printf writes its lone %s argument, or a format with no %, into x.
    "printf -v x %s /; rm -rf $x",
    "x=/tmp/x; printf -v x '%s' /; rm -rf \"$x\"",
    "printf -v x / && rm -rf $x",
  ])("%j may delete / and is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[string, Risk]>([
    // After a change wren cannot follow, x is a path only known at run time.
    ['x=/tmp/x; eval "$s"; rm -rf $x', "high"],
    ["x=/tmp/x; source ./env.sh; rm -rf $x", "high"],
    ["x=/tmp/x; . ./env.sh; rm -rf $x", "high"],
    ["x=/tmp/x; read x; rm -rf $x", "high"],
    // In a function's body, a value set by a command that may not run is one only known at run time.
    ["f() { x=/tmp/x; false && x=build; }; f; rm -rf $x", "high"],
    ["x=build; test -e y && x=build; rm -rf $x", "moderate"],
    ["x=/tmp/x; read -r -p 'dir? ' x; rm -rf $x", "high"],
    ["x=/tmp/x; read \"$n\"; rm -rf $x", "high"],
    ["x=/tmp/x; printf -v x \"$f\" /; rm -rf $x", "high"],
    ["x=/tmp/x; printf -v x '%s%s' / tmp; rm -rf $x", "high"],
    ["x=/tmp/x; printf -v x %s \"$y\"; rm -rf $x", "high"],
    ['x=/tmp/x; declare "$n=/"; rm -rf $x', "high"],
    ['x=/tmp/x; export "$n"=/; rm -rf $x', "high"],
    ["x=/tmp/x; mapfile -t x < list; rm -rf $x", "high"],
    ["x=/tmp/x; getopts ab x; rm -rf $x", "high"],
    // What they do not name keeps its value.
    ["x=/tmp/x; read -p 'go? ' y; rm -rf $x", "moderate"],
    ["x=/tmp/x; mapfile -t lines < list; rm -rf $x", "moderate"],
    ["x=/tmp/x; eval 'y=/'; rm -rf $x", "moderate"],
    ["x=${y:-/}; x=build; rm -rf $x", "moderate"],
    // A child shell does not see x unless it is exported.
    ["x=${y:-/}; sh -c 'rm -rf $x'", "safe"],
    ["cd ${x:-build} && rm -rf *", "high"],
    // A cd inside a subshell or a pipeline stage does not move the line.
    ["(eval 'cd /'); rm -rf build", "moderate"],
    ["eval 'cd /' | cat; rm -rf build", "moderate"],
    ["echo $(eval 'cd ${x:-/}'); rm -rf build", "moderate"],
    ["eval 'cd build'; rm -rf ../build", "moderate"],
    ["printf -v x build; rm -rf $x", "moderate"],
    ["x=build; rm -rf $x", "moderate"],
    ["x=/tmp/a | cat", "safe"],
    // Either way x is one of two folders of the project.
    ["x=build; cat | x=dist; rm -rf $x", "moderate"],
    ["x=build; cat | printf -v x dist; rm -rf $x", "moderate"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<string>(['eval "$s"; rm -rf *', 'eval "cd $d" && rm -rf build', "eval 'eval \"$s\"'; rm -rf *"])("%j may delete a directory only known at run time", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toContain("deletes a path only known at run time recursively");
  });

  it.each<string>(["sh -c 'eval \"$s\"'; rm -rf build", "(eval \"$s\"); rm -rf build", "eval \"$s\" | cat; rm -rf build"])("%j still deletes build where the line is", (command) => {
    const r = rated(command);
    expect(r.details, r.shown).toEqual(["eval runs a string only known at run time", "deletes build recursively"]);
  });
});

describe("PowerShell: variables a block may change", () => {
  // The blocks of if, switch, loops and try run in the line's own scope, so what they assign holds
  // after them; they may not run, so the value before them holds too.
  it.each<string>([
    "$x='build'; if (Test-Path c) { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='/'; if (Test-Path c) { $x='build' }; Remove-Item -Recurse -Force $x",
    "$x='build'; if (Test-Path c) { echo c } else { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; if (Test-Path c) { echo c } elseif (Test-Path d) { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'\nif (Test-Path c) { echo c }\nelse { $x='/' }\nRemove-Item -Recurse -Force $x",
    "$x='build'; if (Test-Path c) { if (Test-Path d) { $x='/' } }; Remove-Item -Recurse -Force $x",
    "$x='build'; while (Test-Path c) { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; do { $x='/' } while (Test-Path c); Remove-Item -Recurse -Force $x",
    "$x='build'; for ($i = 0; $i -lt 3; $i++) { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; foreach ($f in Get-ChildItem) { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='/'; foreach ($f in $list) { $x='build' }; Remove-Item -Recurse -Force $x",
    "$x='build'; switch ($y) { 'a' { $x='/' } }; Remove-Item -Recurse -Force $x",
    "$x='build'; try { $x='/' } catch { echo c }; Remove-Item -Recurse -Force $x",
    "$x='build'; try { echo c } catch { $x='/' }; Remove-Item -Recurse -Force $x",
    "if (Test-Path c) { Set-Location / }; Remove-Item -Recurse -Force *",
  ])("%j may delete / and is critical", (command) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[string, Risk]>([
    // Either way x is one of two folders of the project.
    ["$x='build'; if (Test-Path c) { $x='dist' }; Remove-Item -Recurse -Force $x", "moderate"],
    // A loop over a literal list runs its body: the value it assigns is the one that holds.
    ["$x='/'; foreach ($f in 'a', 'b') { $x='build' }; Remove-Item -Recurse -Force $x", "moderate"],
    // A script block run with & has a scope of its own: what it assigns is gone after it.
    ["$x='build'; & { $x='/' }; Remove-Item -Recurse -Force $x", "moderate"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("fish: a loop over a list only known at run time", () => {
  // `for f in (…)`, `for f in $l` and a pattern may run the body no time at all: the value before it holds too.
  it.each<string>([
    "set x /; for f in (ls); set x build; end; rm -rf $x",
    "set x /; for f in $l; set x build; end; rm -rf $x",
    "set x /; for f in *.txt; set x build; end; rm -rf $x",
    "echo 'rm -rf ~' > x.sh; for f in (ls); echo ls > x.sh; end; sh x.sh",
  ])("%j may delete / or ~ and is critical", (command) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[string, Risk]>([
    // A list of words runs the body once for each.
    ["set x /; for f in a b; set x build; end; rm -rf $x", "moderate"],
    ["set x build; for f in (ls); set x dist; end; rm -rf $x", "moderate"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("PowerShell: blocks that run in the line's own scope", () => {
  // ForEach-Object's and Where-Object's script blocks run in the caller's scope, once per object,
  // perhaps never; `. { … }` runs its block once in the caller's scope; a condition always runs.
  it.each<string>([
    "$x='build'; Get-ChildItem | ForEach-Object { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; Get-ChildItem | % { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; Get-ChildItem | foreach { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; $l | ForEach-Object -Process { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; $l | ForEach-Object -Begin { $x='/' } -Process { echo a }; Remove-Item -Recurse -Force $x",
    "$x='build'; $l | Where-Object { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; $l | ? { $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='/'; Get-ChildItem | ForEach-Object { $x='build' }; Remove-Item -Recurse -Force $x",
    "Get-ChildItem | ForEach-Object { Set-Location / }; Remove-Item -Recurse -Force *",
    ". { $x='/' }; Remove-Item -Recurse $x",
    "$x='build'; . { $x='/' }; Remove-Item -Recurse -Force $x",
    ". { Set-Location / }; Remove-Item -Recurse -Force *",
    "if ($x = '/') { echo a }; Remove-Item -Recurse $x",
    "$x='build'; if ($x = '/') { echo a }; Remove-Item -Recurse -Force $x",
    "$x='build'; while ($x = '/') { echo a }; Remove-Item -Recurse -Force $x",
    "$x='build'; switch ($x = '/') { 'a' { echo a } }; Remove-Item -Recurse -Force $x",
    "$x='build'; if (Test-Path c) { echo c } elseif ($x = '/') { echo d }; Remove-Item -Recurse -Force $x",
    "$x='build'; for ($i = 0; $i -lt 3; $x='/') { echo a }; Remove-Item -Recurse -Force $x",
  ])("%j may delete / and is critical", (command) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[string, Risk]>([
    // The block runs, once, and what it assigns replaces what held before.
    ["$x='/'; . { $x='build' }; Remove-Item -Recurse -Force $x", "moderate"],
    [". { echo hi }", "safe"],
    [". { Get-ChildItem }; echo done", "safe"],
    // The condition runs: x is build after it.
    ["$x='/'; if ($x = 'build') { echo a }; Remove-Item -Recurse -Force $x", "moderate"],
    // A literal list runs the block for each value.
    ["$x='/'; 'a', 'b' | ForEach-Object { $x='build' }; Remove-Item -Recurse -Force $x", "moderate"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("PowerShell: (…), $(…), @(…) and pipeline stages run in the line's own scope", () => {
  // A subexpression or grouping is no scope of its own, and neither is a pipeline's stage: what they
  // assign, and where Set-Location moves, holds after them.
  it.each<string>([
    "$x='build'; $($x='/'); Remove-Item -Recurse -Force $x",
    "$x='build'; ($x='/'); Remove-Item -Recurse -Force $x",
    "$x='build'; @($x='/'); Remove-Item -Recurse -Force $x",
    "($x='/') | Out-Null; Remove-Item -Recurse -Force $x",
    "$x='build'; ($x='/') | Out-Null; Remove-Item -Recurse -Force $x",
    "$x='build'; Write-Host \"$($x='/')\"; Remove-Item -Recurse -Force $x",
    "$x='build'; $null = ($x='/'); Remove-Item -Recurse -Force $x",
    "$x='build'; echo ($x='/'); Remove-Item -Recurse -Force $x",
    "$x='build'; Get-ChildItem | Out-Null ($x='/'); Remove-Item -Recurse -Force $x",
    "$(Set-Location /); Remove-Item -Recurse -Force *",
    "Set-Location / | Out-Null; Remove-Item -Recurse -Force *",
  ])("%j may delete / and is critical", (command) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[string, Risk]>([
    // The subexpression runs, so x is build after it.
    ["$x='/'; $($x='build'); Remove-Item -Recurse -Force $x", "moderate"],
    // A script block run with & has a scope of its own.
    ["$x='build'; & { $x='/' }; Remove-Item -Recurse -Force $x", "moderate"],
    ["$x='build'; & { $x='/' } | Out-Null; Remove-Item -Recurse -Force $x", "moderate"],
    // cmd.exe runs each side of a pipe in a process of its own: the cd is gone after it.
    ["cmd /c \"cd /d %USERPROFILE% | echo x & rd /s /q .\"", "high"],
    ["cmd /c \"cd /d %USERPROFILE% & rd /s /q .\"", "critical"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("PowerShell: the ForEach() and Where() methods' blocks, and a dot-sourced block in a pipeline", () => {
  // The intrinsic ForEach() and Where() methods run a script block in the current scope, once per
  // element (perhaps never), as ForEach-Object does; `. { … }` runs its block once in the line's scope.
  it.each<string>([
    "$x='build'; $l.ForEach({ $x='/' }); Remove-Item -Recurse -Force $x",
    "$x='build'; $l.Where({ $x='/' }); Remove-Item -Recurse -Force $x",
    "$x='build'; $l.foreach{ $x='/' }; Remove-Item -Recurse -Force $x",
    "$x='build'; (Get-ChildItem).Where({ $x='/' }, 'First'); Remove-Item -Recurse -Force $x",
    "$x='build'; $y = $l.ForEach({ $x='/' }); Remove-Item -Recurse -Force $x",
    "$x='/'; $l.ForEach({ $x='build' }); Remove-Item -Recurse -Force $x",
    "$l.ForEach({ Set-Location / }); Remove-Item -Recurse -Force *",
    ". { $x='/' } | Out-Null; Remove-Item -Recurse $x",
    "$x='build'; . { $x='/' } | Out-Null; Remove-Item -Recurse -Force $x",
  ])("%j may delete / and is critical", (command) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[string, Risk]>([
    // The dot-sourced block runs, once: x is build after it.
    ["$x='/'; . { $x='build' } | Out-Null; Remove-Item -Recurse -Force $x", "moderate"],
    [". { echo hi } | Out-Null", "safe"],
    ["$l.ForEach({ $_ * 2 })", "safe"],
    ["$x='build'; $l.ForEach('ToUpper'); Remove-Item -Recurse -Force $x", "moderate"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
