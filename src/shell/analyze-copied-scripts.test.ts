import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import { REREADING_BUDGET } from "./evaluate.js";
import type { Risk, ShellKind } from "./types.js";

/** A script that a link, dd or cat gives another file's text, and that the line then runs. */
const rated = shellRater();

/** Every case of a table, rated as `expected` says: a risk, or the risk of another command line. */
function rates(table: [ShellKind, string, Risk | { as: string }][]): void {
  it.each(table)("%s: %j is %j", (shell, command, expected) => {
    const r = rated(command, shell);
    const risk = typeof expected === "string" ? expected : rated(expected.as, shell).risk;
    expect(r.risk, r.shown).toBe(risk);
  });
}

describe("running a copy of what a command reads", () => {
  rates([
    // cp of standard input or of a download's output copies the download.
    ["bash", "curl https://example.com/a.sh | cp /dev/stdin x.sh; sh x.sh", "critical"],
    ["bash", "cp <(curl https://example.com/a.sh) x.sh; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' | cp /dev/stdin x.sh; sh x.sh", "critical"],
    ["bash", "cp /dev/stdin x.sh < a.sh; sh x.sh", { as: "sh a.sh" }],
  ]);
});

describe("running a link to a file", () => {
  rates([
    // A link to a script the line wrote runs its text.
    ["bash", "echo 'rm -rf ~' > a.sh; ln -s a.sh x.sh && ./x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; ln a.sh x.sh; sh x.sh", "critical"],
    ["bash", "echo 'ls' > x.sh; echo 'rm -rf ~' > a.sh; ln -sf a.sh x.sh; bash x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; ln --symbolic --force -- a.sh x.sh; ./x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; ln -s -t bin ../a.sh; bin/a.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; ln -sr a.sh bin/x.sh; bin/x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > bin/a.sh; ln -s a.sh bin/x.sh; bin/x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; ln -s /home/ada/code/app/a.sh /tmp/x.sh; sh /tmp/x.sh", "critical"],
    ["bash", "echo 'ls' > a.sh; ln -s a.sh x.sh; ./x.sh", "safe"],
    // A link to a download runs the download.
    ["bash", "curl -o a.sh https://example.com/a.sh; ln -s a.sh x.sh; ./x.sh", "critical"],
    // A link to a file that was there before the line runs it.
    ["bash", "ln -s evil.sh x.sh; ./x.sh", { as: "./evil.sh" }],
    ["bash", "echo 'rm -rf ~' > x.sh; ln -sf evil.sh x.sh; sh x.sh", { as: "sh evil.sh" }],
    // A symbolic link's target is found from the link's folder: bin/x.sh is bin/bin/a.sh, not the a.sh written.
    ["bash", "echo 'rm -rf ~' > bin/a.sh; ln -s bin/a.sh bin/x.sh; bin/x.sh", { as: "bin/bin/a.sh" }],
    // What is later written to the file a link reaches, or through the link, is in both.
    ["bash", "ln -s a.sh x.sh; echo 'rm -rf ~' > a.sh; ./x.sh", "critical"],
    ["bash", "ln -s a.sh x.sh; curl -o a.sh https://example.com/a.sh; ./x.sh", "critical"],
    ["bash", "ln a.sh x.sh; echo 'rm -rf ~' > x.sh; sh a.sh", "critical"],
    ["bash", "ln -s a.sh x.sh; echo 'rm -rf ~' | tee a.sh; bash x.sh", "critical"],
    ["bash", "ln -s a.sh x.sh; echo 'ls' > a.sh; ./x.sh", "safe"],
    // PowerShell's New-Item links as ln does.
    ["powershell", "Set-Content a.ps1 'Remove-Item -Recurse -Force ~'; New-Item -ItemType SymbolicLink -Path x.ps1 -Target a.ps1; ./x.ps1", "critical"],
    ["powershell", "Set-Content a.ps1 'Remove-Item -Recurse -Force ~'; New-Item -ItemType HardLink -Path x.ps1 -Value a.ps1; ./x.ps1", "critical"],
    ["powershell", "New-Item -ItemType SymbolicLink -Path x.ps1 -Target a.ps1; Set-Content a.ps1 'Remove-Item -Recurse -Force ~'; ./x.ps1", "critical"],
    ["powershell", "New-Item -ItemType SymbolicLink -Path x.ps1 -Target evil.ps1; ./x.ps1", { as: "./evil.ps1" }],
    // A link the line makes but does not run is not run.
    ["bash", "echo 'rm -rf ~' > a.sh; ln -s a.sh x.sh", "safe"],
  ]);
});

describe("running a file through a chain of links", () => {
  rates([
    // A link to a link reaches the file at the chain's end, whichever name is written.
    ["bash", "ln -s a b; ln -s b c; printf 'rm -rf ~' > c; sh a", "critical"],
    ["bash", "ln -s a.sh b.sh; ln -s b.sh c.sh; echo 'rm -rf ~' > c.sh; ./a.sh", "critical"],
    ["bash", "ln -s b.sh c.sh; ln -s a.sh b.sh; echo 'rm -rf ~' > a.sh; ./c.sh", "critical"],
    ["bash", "ln a.sh b.sh; ln -s b.sh c.sh; echo 'rm -rf ~' | tee c.sh; bash a.sh", "critical"],
    ["bash", "ln -s b.sh c.sh; ln -s a.sh b.sh; echo 'ls' > a.sh; ./c.sh", "safe"],
  ]);
});

describe("running a file after a link is removed or renamed", () => {
  rates([
    // A link removed no longer reaches its file: the name is a new file when written again.
    ["bash", "ln -s a.sh b.sh; rm b.sh; echo 'rm -rf ~' > b.sh; sh a.sh", { as: "rm b.sh; sh a.sh" }],
    ["bash", "ln -s a.sh b.sh; rm -f -- b.sh; echo 'rm -rf ~' > b.sh; sh b.sh", "critical"],
    ["bash", "ln -s a.sh b.sh; unlink b.sh; echo 'rm -rf ~' > b.sh; sh a.sh", { as: "unlink b.sh; sh a.sh" }],
    // rm -i may leave it.
    ["bash", "ln -s a.sh b.sh; rm -i b.sh; echo 'rm -rf ~' > b.sh; sh a.sh", "critical"],
    // A symbolic link to a removed file writes a new one; a hard link keeps the text and is a file of its own.
    ["bash", "echo 'ls' > a.sh; ln -s a.sh b.sh; rm a.sh; echo 'rm -rf ~' > b.sh; sh a.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; ln a.sh b.sh; rm a.sh; sh b.sh", "critical"],
    ["bash", "ln a.sh b.sh; rm a.sh; echo 'rm -rf ~' > b.sh; sh a.sh", { as: "rm a.sh; sh a.sh" }],
    // A link renamed reaches its file under its new name, and the old name is free.
    ["bash", "ln -s a.sh b.sh; mv b.sh d.sh; echo 'rm -rf ~' > d.sh; sh a.sh", "critical"],
    ["bash", "ln -s a.sh b.sh; mv b.sh d.sh; echo 'rm -rf ~' > b.sh; sh a.sh", { as: "sh a.sh" }],
    // A relative symbolic link moved to another folder reaches a file from there.
    ["bash", "ln -s a.sh x.sh; mv x.sh bin/x.sh; echo 'rm -rf ~' > bin/x.sh; sh bin/a.sh", "critical"],
    ["bash", "ln -s a.sh x.sh; mv x.sh bin/x.sh; echo 'rm -rf ~' > bin/x.sh; sh a.sh", { as: "sh a.sh" }],
    ["bash", "ln -s a.sh x.sh; mv x.sh bin; echo 'rm -rf ~' > bin/x.sh; sh bin/a.sh", "critical"],
    ["bash", "ln -s ../a.sh bin/x.sh; mv bin lib; echo 'rm -rf ~' > lib/x.sh; sh a.sh", "critical"],
    // ln without -f (or -b) makes no link where the name is already a file: the file keeps its text.
    ["bash", "echo 'rm -rf ~' > x.sh; ln -s evil.sh x.sh; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > x.sh; ln evil.sh x.sh; ./x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > x.sh; ln -sb evil.sh x.sh; sh x.sh", { as: "sh evil.sh" }],
    ["bash", "echo 'rm -rf ~' > x.sh; ln --symbolic --force evil.sh x.sh; sh x.sh", { as: "sh evil.sh" }],
    ["powershell", "Set-Content x.ps1 'Remove-Item -Recurse -Force ~'; New-Item -ItemType SymbolicLink -Path x.ps1 -Target evil.ps1; ./x.ps1", "critical"],
    // A name a new link replaces (ln -f) is unlinked: a hard link to it keeps the file.
    ["bash", "echo 'rm -rf ~' > a.sh; ln a.sh c.sh; ln -sf x.sh a.sh; sh c.sh", "critical"],
    // A hard link's file renamed is still the same file; a symbolic link's is no longer reached.
    ["bash", "ln a.sh b.sh; mv a.sh c.sh; echo 'rm -rf ~' > b.sh; sh c.sh", "critical"],
    ["bash", "ln -s a.sh b.sh; mv a.sh c.sh; echo 'rm -rf ~' > b.sh; sh c.sh", { as: "sh c.sh" }],
    ["bash", "ln -s a.sh b.sh; mv a.sh c.sh; echo 'rm -rf ~' > b.sh; sh a.sh", "critical"],
  ]);
});

describe("a line with more commands that may not run than are judged both ways", () => {
  // The rest of the line is judged again after each, while all it judges again stays within
  // REREADING_BUDGET times the line's own length (or REREADING_FLOOR units), and near its end; past
  // that the states merge, what they differ in unknown: a line never rates lower than high for it,
  // and its time grows with its length only.
  const before = (n: number) => Array.from({ length: n }, (_, i) => `test -e f${i} && echo ${i} > o${i}.txt; `).join("");
  const critical = "ln -s a.sh b.sh; false && rm b.sh; echo 'rm -rf ~' > b.sh; sh a.sh";
  rates([
    ["bash", `${before(16)}${critical}`, "critical"],
    ["bash", `${before(40)}${critical}`, "critical"],
    ["bash", `${before(40)}${critical}; ${before(20)}`, "critical"],
    // Near the end of a long script, judging the rest again is cheap.
    ["bash", `${before(400)}x=/; test -e y && x=build; rm -rf $x`, "critical"],
    ["bash", `${before(400)}echo 'rm -rf ~' > x.sh; test -e y && echo ls > x.sh; sh x.sh`, "critical"],
    // In the middle of one (over 4 units a line, 800 lines after it), once the budget is spent, it is not.
    ["bash", `${before(REREADING_BUDGET * 4)}${critical}; ${before(800)}`, "high"],
    ["bash", `${before(400)}echo ls > x.sh; sh x.sh`, "safe"],
  ]);
});

describe("running a file after a command that may not run", () => {
  rates([
    // After && or ||, the command may not run: a link it would remove or rename may still be there.
    ["bash", "ln -s a.sh b.sh; false && rm b.sh; echo 'rm -rf ~' > b.sh; sh a.sh", "critical"],
    ["bash", "ln -s a.sh b.sh; test -e x || mv b.sh c.sh; echo 'rm -rf ~' > b.sh; sh a.sh", "critical"],
    ["bash", "ln -s a.sh b.sh; test -e x || unlink b.sh; echo 'rm -rf ~' > b.sh; sh a.sh", "critical"],
    // A file it would move away or write over may keep its text.
    ["bash", "echo 'rm -rf ~' > a.sh; false && mv a.sh c.sh; sh a.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > x.sh; test -e y && echo ls > x.sh; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > x.sh; test -e y || cp ok.sh x.sh; sh x.sh", "critical"],
    // A branch of if or case, and a loop's body, may not run either, and one branch runs, not all.
    ["bash", "echo 'rm -rf ~' > x.sh; if test -e y; then echo ls > x.sh; fi; sh x.sh", "critical"],
    ["bash", "if test -e y; then echo 'rm -rf ~' > x.sh; else echo ls > x.sh; fi; sh x.sh", "critical"],
    ["bash", "if test -e y; then :; elif test -e z; then echo 'rm -rf ~' > x.sh; else echo ls > x.sh; fi; sh x.sh", "critical"],
    ["bash", "case $1 in a) echo 'rm -rf ~' > x.sh;; *) echo ls > x.sh;; esac; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > x.sh; while read l; do echo ls > x.sh; done; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > x.sh; for f in $list; do echo ls > x.sh; done; sh x.sh", "critical"],
    // Inside a function's body the two are one state: what they differ in is unknown.
    ["bash", "ln -s a.sh b.sh; f() { false && rm b.sh; echo 'rm -rf ~' > b.sh; }; f; sh a.sh", "high"],
    ["bash", "f() { echo 'rm -rf ~' > x.sh; false && echo ls > x.sh; }; f; sh x.sh", "high"],
    // fish: after and, or, && and ||, in a branch of if or switch, in a while loop's body.
    ["fish", "echo 'rm -rf ~' > x.sh; test -e y; and echo ls > x.sh; sh x.sh", "critical"],
    ["fish", "echo 'rm -rf ~' > x.sh; test -e y || echo ls > x.sh; sh x.sh", "critical"],
    ["fish", "echo 'rm -rf ~' > x.sh; test -e y; or begin; echo ls > x.sh; end; sh x.sh", "critical"],
    ["fish", "if test -e y; echo 'rm -rf ~' > x.sh; else; echo ls > x.sh; end; sh x.sh", "critical"],
    ["fish", "switch $a; case a; echo 'rm -rf ~' > x.sh; case '*'; echo ls > x.sh; end; sh x.sh", "critical"],
    ["fish", "echo 'rm -rf ~' > x.sh; while test -e y; echo ls > x.sh; end; sh x.sh", "critical"],
    ["fish", "ln -s a.sh b.sh; test -e x; and rm b.sh; echo 'rm -rf ~' > b.sh; sh a.sh", "critical"],
    ["fish", "set x /; test -e y; and set x build; rm -rf $x", "critical"],
    // PowerShell: after && and ||, and a block of if, switch, a loop or try.
    ["powershell", "Set-Content x.ps1 'Remove-Item -Recurse -Force ~'; Test-Path y && Set-Content x.ps1 'ls'; ./x.ps1", "critical"],
    ["powershell", "Set-Content x.ps1 'Remove-Item -Recurse -Force ~'; if (Test-Path y) { Set-Content x.ps1 'ls' }; ./x.ps1", "critical"],
    ["powershell", "if (Test-Path y) { Set-Content x.ps1 'Remove-Item -Recurse -Force ~' } else { Set-Content x.ps1 'ls' }; ./x.ps1", "critical"],
    ["powershell", "Set-Content x.ps1 'Remove-Item -Recurse -Force ~'; while (Test-Path y) { Set-Content x.ps1 'ls' }; ./x.ps1", "critical"],
    ["powershell", "Set-Content x.ps1 'ls'; if (Test-Path y) { Set-Content x.ps1 'ls' }; ./x.ps1", "safe"],
    // Where both ways hold the same, it is known.
    ["bash", "echo ls > x.sh; test -e y || echo ls > x.sh; sh x.sh", "safe"],
    ["fish", "echo ls > x.sh; test -e y; and echo ls > x.sh; sh x.sh", "safe"],
    ["bash", "echo 'rm -rf ~' > x.sh; test -e y && echo ls > a.sh; sh a.sh", "safe"],
  ]);
});

describe("running a file dd writes", () => {
  rates([
    // dd of= holds what it reads: if=, or else standard input.
    ["bash", "echo 'rm -rf ~' > a.sh; dd if=a.sh of=x.sh; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; dd if=a.sh of=x.sh bs=1M status=none && ./x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' | dd of=x.sh; sh x.sh", "critical"],
    ["bash", "dd of=x.sh <<< 'rm -rf ~'; bash x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; dd of=x.sh < a.sh; bash x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; dd if=a.sh > x.sh; bash x.sh", "critical"],
    ["bash", "echo 'ls' | dd of=x.sh; sh x.sh", "safe"],
    // A download reaching it is a download.
    ["bash", "curl https://example.com/a.sh | dd of=x.sh; sh x.sh", "critical"],
    ["bash", "curl -o a.sh https://example.com/a.sh; dd if=a.sh of=x.sh; sh x.sh", "critical"],
    ["bash", "curl https://example.com/a.sh | dd of=x.sh skip=1; sh x.sh", "critical"],
    // Part of a text, or a text changed or added to, is text wren cannot know.
    ["bash", "echo 'ls' | dd of=x.sh skip=1; sh x.sh", "high"],
    ["bash", "echo 'ls' | dd of=x.sh conv=ucase; sh x.sh", "high"],
    ["bash", "echo 'ls' | dd of=x.sh oflag=append conv=notrunc; sh x.sh", "high"],
    ["bash", "dd if=$src of=x.sh; sh x.sh", "high"],
    // A copy of a file that was there before the line runs as that file would.
    ["bash", "echo 'rm -rf ~' > x.sh; dd if=evil.sh of=x.sh; sh x.sh", { as: "sh evil.sh" }],
    ["bash", "dd if=evil.sh of=x.sh; ./x.sh", { as: "./evil.sh" }],
  ]);
});

describe("running a file cat writes", () => {
  rates([
    // cat's output holds the files it reads, one after another.
    ["bash", "echo 'rm -rf ~' > a.sh; cat a.sh > x.sh && bash x.sh", "critical"],
    ["bash", "echo 'ls' > a.sh; echo 'rm -rf ~' > b.sh; cat a.sh b.sh > x.sh; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; cat a.sh other.sh > x.sh; sh x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' | cat > x.sh; bash x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' | cat - > x.sh; bash x.sh", "critical"],
    ["bash", "echo 'rm -rf ~' > a.sh; cat < a.sh > x.sh; bash x.sh", "critical"],
    ["bash", "echo 'ls' > a.sh; echo 'pwd' > b.sh; cat a.sh b.sh > x.sh; sh x.sh", "safe"],
    // A download reaching it is a download.
    ["bash", "curl https://example.com/a.sh | cat > x.sh; sh x.sh", "critical"],
    ["bash", "curl -o a.sh https://example.com/a.sh; cat a.sh > x.sh; sh x.sh", "critical"],
    ["bash", "curl -o a.sh https://example.com/a.sh; cat head.sh a.sh > x.sh; sh x.sh", "critical"],
    // Text cat changes (-n numbers its lines) or adds to, or reads from a name known at run time, is unknown.
    ["bash", "echo 'ls' > a.sh; cat -n a.sh > x.sh; sh x.sh", "high"],
    ["bash", "echo 'ls' > a.sh; cat a.sh >> x.sh; sh x.sh", "high"],
    ["bash", "cat $src > x.sh; sh x.sh", "high"],
    // Files that were there before the line run as those files would.
    ["bash", "cat a.sh > x.sh && bash x.sh", { as: "bash a.sh" }],
    ["bash", "cat a.sh b.sh > x.sh; ./x.sh", { as: "./a.sh" }],
    ["bash", "echo 'rm -rf ~' > x.sh; cat evil.sh > x.sh; sh x.sh", { as: "sh evil.sh" }],
    ["bash", "cat < a.sh > x.sh; sh x.sh", { as: "sh a.sh" }],
  ]);
});

describe("the text of files cat joins", () => {
  rates([
    // cat adds nothing between files: printf without \n ends none, echo and a here-document end theirs.
    ["bash", "printf 'rm -rf ' > a; printf '~' > b; cat a b > x.sh; sh x.sh", "critical"],
    ["bash", "printf 'rm -rf ' > a; printf '~' | cat a - > x.sh; sh x.sh", "critical"],
    ["bash", "printf 'rm -rf ' > a; cat a - <<< '~' > x.sh; sh x.sh", "critical"],
    ["bash", "printf 'rm -rf \\\\\\n' > a; printf '~' > b; cat a b > x.sh; sh x.sh", "critical"],
    ["bash", "printf 'echo ' > a; printf 'rm -rf ~' > b; cat a b > x.sh; sh x.sh", { as: "echo rm -rf ~" }],
    ["bash", "echo 'rm -rf' > a; echo '~' > b; cat a b > x.sh; sh x.sh", { as: "rm -rf; ~" }],
    ["bash", "cat > a <<'EOF'\nrm -rf\nEOF\nprintf '~' > b; cat a b > x.sh; sh x.sh", { as: "rm -rf; ~" }],
    ["bash", "printf 'rm -rf \\\\\\n\\n' > a; printf '~' > b; cat a b > x.sh; sh x.sh", { as: "rm -rf; ~" }],
    // A file that was there, after text that ends no line, goes on with that line: what runs is not known.
    ["bash", "printf 'rm -rf ' > a; cat a other > x.sh; sh x.sh", "high"],
    // So does one where the line wrote ends inside something still open: quotes, a here-document,
    // brackets, a subshell, a block, a compound command, a pipe or list waiting for its next command.
    ["bash", "echo \"echo '\" > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo 'echo \"' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo 'cat <<EOF' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "printf 'cat <<EOF\\nls\\n' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo '(' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo '{ echo' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo 'echo $(' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo 'if true; then' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo 'echo ok |' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo 'echo ok \\' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo \"echo '\" > a; cat a - > x.sh < other; sh x.sh", "high"],
    // Where the text alone reads as whole commands, bash still reads on: a coprocess's block, a
    // word that leaves a pipe or list waiting.
    ["bash", "echo 'coproc {' > a; cat a other > x.sh; sh x.sh", "high"],
    ["bash", "echo 'coproc job (' > a; cat a other > x.sh; sh x.sh", "high"],
    // One that ends a whole command leaves the text the line wrote to be judged.
    ["bash", "echo 'echo ok' > a; cat a other > x.sh; sh x.sh", "safe"],
    ["bash", "printf 'cat <<EOF\\nls\\nEOF\\n' > a; cat a other > x.sh; sh x.sh", "safe"],
    ["bash", "echo 'rm -rf ~' > a; cat a other > x.sh; sh x.sh", "critical"],
  ]);
});
