import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A call's own redirection writes what the function writes (`f > x.sh`), where each of its commands
 * writes text wren knows and uses no variable (its arguments are only known at the call). In fish,
 * a redirection written after a function's `end` applies to defining it: fish makes the file empty
 * there and the calls write to their own output (checked with fish 3.6).
 */
const rated = shellRater();

describe("a function call's output redirection", () => {
  it.each<[string, Risk]>([
    ["f() { echo 'rm -rf ~'; }; f > x.sh; sh x.sh", "critical"],
    ["f() { echo ls; }; f > x.sh; sh x.sh", "safe"],
    ["f() {\n  echo '#!/bin/sh'\n  printf 'rm -rf ~' | cat\n}\nf > x.sh; bash x.sh", "critical"],
    ["g() { echo 'rm -rf ~'; }; f() { g; }; f > x.sh; sh x.sh", "critical"],
    ["echo() { printf 'rm -rf ~'; }; echo ls > x.sh; sh x.sh", "critical"],
    ["f() { f; }; f > x.sh; sh x.sh", "high"],
    ["f() { echo \"$1\"; }; f 'rm -rf ~' > x.sh; sh x.sh", "high"],
    ["set -- ls; f() { echo \"$1\"; }; f 'rm -rf ~' > x.sh; sh x.sh", "high"],
    ["f() { echo ls; }; f >> x.sh; sh x.sh", "high"],
    ["f() { echo ls; cat; }; f > x.sh <<< 'rm -rf ~'; sh x.sh", "high"],
    // A redirection written after the body is the function's own, applied at each call after the
    // call's: its output goes there and the call's file is left empty (checked with bash 5 and dash).
    ["f() { echo ls; } > y.sh; f > x.sh; sh x.sh", "safe"],
    ["f() { echo 'rm -rf ~'; } > y.sh; f > x.sh; sh x.sh", "safe"],
    ["f() { echo 'rm -rf ~'; } >> y.sh; f > x.sh; sh x.sh", "safe"],
    ["f() { echo 'rm -rf ~'; } >&2; f > x.sh; sh x.sh", "safe"],
    ["f() { echo 'rm -rf ~'; } > y.sh; g() { f; }; g > x.sh; sh x.sh", "safe"],
    ["f() { echo 'rm -rf ~'; } > y.sh; f > x.sh; sh y.sh", "critical"],
    ["f() { echo 'rm -rf ~'; } 2> y.sh; f > x.sh; sh x.sh", "critical"],
  ])("bash: %j is %s", (command, risk) => {
    const r = rated(command, "bash");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["f() { echo 'rm -rf ~'; }; f > x.sh; sh x.sh", "critical"],
    ["f() { echo ls; }; f > x.sh; sh x.sh", "safe"],
    // zsh (MULTIOS) writes the output to both the call's file and the function's own (checked with zsh 5).
    ["f() { echo 'rm -rf ~'; } > y.sh; f > x.sh; sh x.sh", "critical"],
    ["f() { echo 'rm -rf ~'; } >&2; f > x.sh; sh x.sh", "critical"],
    ["f() { echo ls; } > y.sh; f > x.sh; sh x.sh", "safe"],
    // A call inside another function has no redirection of its own to share the output with.
    ["f() { echo 'rm -rf ~'; } > y.sh; g() { f; }; g > x.sh; sh x.sh", "safe"],
  ])("zsh: %j is %s", (command, risk) => {
    const r = rated(command, "zsh");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["f() { echo 'rm -rf ~'; } > y.sh; f > x.sh; sh x.sh", "safe"],
    ["f() { echo 'rm -rf ~'; } 2> y.sh; f > x.sh; sh x.sh", "critical"],
  ])("sh: %j is %s", (command, risk) => {
    const r = rated(command, "sh");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["function f; echo 'rm -rf ~'; end; f > x.sh; sh x.sh", "critical"],
    ["function f; echo ls; end; f > x.sh; sh x.sh", "safe"],
    ["function f; echo $argv; end; f 'rm -rf ~' > x.sh; sh x.sh", "high"],
    ["set argv ls; function f; echo $argv; end; f 'rm -rf ~' > x.sh; sh x.sh", "high"],
    // Written after `end`, the redirection empties the file when fish defines the function.
    ["function f; echo 'rm -rf ~'; end > x.sh; sh x.sh", "safe"],
    ["function f; echo 'rm -rf ~'; end > x.sh; f; sh x.sh", "safe"],
    ["echo 'rm -rf ~' > x.sh; function f; echo ls; end > x.sh; sh x.sh", "safe"],
    ["function f; echo ls; end >> x.sh; sh x.sh", "high"],
  ])("fish: %j is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });
});
