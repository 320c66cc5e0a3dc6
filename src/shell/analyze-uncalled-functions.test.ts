import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A function's body is judged where it is defined, and what it assigns, where it moves and what it
 * writes hold from there for its calls. A function the line never names again may never run: the
 * shell runs nothing where it is defined, not even the redirections written after its body (checked
 * with bash 5, dash and zsh 5), so the rest of the line is judged without what the body does too.
 */
const rated = shellRater();

describe("a function the line never calls", () => {
  it.each<[string, Risk]>([
    ["x=/; f() { x=build; }; rm -rf $x", "critical"],
    ["cd /; f() { cd ~/code/app; }; rm -rf *", "critical"],
    ["echo 'rm -rf ~' > x.sh; f() { echo ls > x.sh; }; sh x.sh", "critical"],
    ["echo 'rm -rf ~' > x.sh; f() { echo ls; } > x.sh; sh x.sh", "critical"],
    // Called, its body's effects hold as before.
    ["x=/; f() { x=build; }; f; rm -rf $x", "moderate"],
    ["echo 'rm -rf ~' > x.sh; f() { echo ls; } > x.sh; f; sh x.sh", "safe"],
    ["f() { cd /; }; f; rm -rf *", "critical"],
    ["x=/; f() { x=build; }; eval f; rm -rf $x", "moderate"],
  ])("bash: %j is %s", (command, risk) => {
    const r = rated(command, "bash");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["x=/; f() { x=build; }; rm -rf $x", "critical"],
    ["echo 'rm -rf ~' > x.sh; f() { echo ls; } > x.sh; sh x.sh", "critical"],
  ])("zsh: %j is %s", (command, risk) => {
    const r = rated(command, "zsh");
    expect(r.risk, r.shown).toBe(risk);
  });
});
