import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/** `$i++`, `$i--`, `++$i` (a `for` loop's step) are expressions, not commands named by `$i`. */
const rated = shellRater();

describe("PowerShell's ++ and --", () => {
  it.each<[string, Risk]>([
    ["for ($i = 0; $i -lt 3; $i++) { echo $i }", "safe"],
    ["for ($i = 3; $i -gt 0; $i--) { Write-Output $i }", "safe"],
    ["while ($i -lt 3) { $i++ }", "safe"],
    ["++$i; $x = $i--", "safe"],
    ["for ($i = 0; $i -lt 3; $i++) { Remove-Item -Recurse ~ }", "critical"],
    // The stepped variable is unknown afterwards.
    ["$c = 'Get-Date'; $c++; & $c", "high"],
    ["for ($i = 0; $i -lt 3; $i++) { & $i }", "high"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
