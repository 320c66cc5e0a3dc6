import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * Code made by a `$(…)` whose command is a function or alias the line defines is that function's
 * output, not the builtin's: `echo() { printf 'rm -rf ~'; }; sh -c "$(echo ls)"` runs `rm -rf ~`,
 * so the code run is only known at run time (high), never the harmless text the builtin would write.
 */
const rated = shellRater();

describe("code from a substitution of a redefined builtin", () => {
  it.each<[string, Risk]>([
    ["echo() { printf 'rm -rf ~'; }; sh -c \"$(echo ls)\"", "high"],
    ["echo() { printf 'rm -rf ~'; }; bash -c \"$(echo ls)\"", "high"],
    ["printf() { command printf 'rm -rf ~'; }; sh -c \"$(printf ls)\"", "high"],
    ["sh -c \"$(echo ls)\"", "safe"],
    ["sh -c \"$(echo 'rm -rf ~')\"", "critical"],
  ])("bash: %s is %s", (command, risk) => {
    const r = rated(command, "bash");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["function Write-Output { 'Remove-Item -Recurse ~' }; iex (Write-Output ls)", "high"],
    ["iex (Write-Output 'Get-ChildItem')", "safe"],
  ])("PowerShell: %s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
