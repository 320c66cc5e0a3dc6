import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A command line made by echo, printf or Write-Output and then evaluated is the command it makes:
 * `eval "$(echo rm -rf ~)"`, fish's `eval (echo rm -rf ~)` and PowerShell's
 * `Invoke-Expression (Write-Output '…')` are rated as what they run, and where the text cannot be
 * known, as high as any evaluated text only known at run time.
 */
const rated = shellRater();

describe("evaluated text written by echo, printf or Write-Output", () => {
  it.each<[string, Risk]>([
    ["Invoke-Expression (Write-Output 'Remove-Item -Recurse ~')", "critical"],
    ["iex (Write-Output 'Remove-Item -Recurse ~')", "critical"],
    ["iex (echo 'Remove-Item -Recurse ~')", "critical"],
    ["iex (write 'Remove-Item -Recurse ~')", "critical"],
    ["iex \"$(Write-Output 'Remove-Item -Recurse ~')\"", "critical"],
    ["iex $(Write-Output 'Remove-Item -Recurse ~')", "critical"],
    ["Invoke-Expression -Command (Write-Output 'Remove-Item -Recurse ~')", "critical"],
    ["iex (Write-Output 'Get-ChildItem')", "safe"],
    ["iex (Write-Output $x)", "high"],
    ["iex (Get-Content x.ps1)", "high"],
  ])("PowerShell: %s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["eval \"$(echo rm -rf ~)\"", "critical"],
    ["eval \"$(printf 'rm -rf ~')\"", "critical"],
    ["eval $(echo rm -rf ~)", "critical"],
    ["eval `echo rm -rf ~`", "critical"],
    ["eval \"$(echo \"$x\")\"", "high"],
  ])("bash: %s is %s", (command, risk) => {
    const r = rated(command, "bash");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["eval (echo rm -rf ~)", "critical"],
    ["eval (printf 'rm -rf ~')", "critical"],
    ["eval (echo $x)", "high"],
  ])("fish: %s is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });
});
