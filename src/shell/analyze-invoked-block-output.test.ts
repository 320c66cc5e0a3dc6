import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A script block invoked with `&` or `.` writes what its statements write, so its output piped into
 * a shell is known text as `'…' | bash` and `Write-Output '…' | bash` are: `& { 'rm -rf ~' } | bash`
 * deletes the home folder. Arguments given to the block are not its output.
 */
const rated = shellRater();

describe("PowerShell: the output of an invoked script block", () => {
  it.each<[string, Risk]>([
    ["& { 'rm -rf ~' } | bash", "critical"],
    ["& { Write-Output 'rm -rf ~' } | bash", "critical"],
    [". { 'rm -rf ~' } | bash", "critical"],
    ["& { 'echo hi'; 'rm -rf ~' } | bash", "critical"],
    ["& { & { 'rm -rf ~' } } | bash", "critical"],
    ["& { 'Remove-Item -Recurse ~' } | Invoke-Expression", "critical"],
    ["& { 'rm -rf ~' } 'ls' | bash", "critical"],
    ["& { 'rm -rf ~' } > x.sh; bash x.sh", "critical"],
    ["& { 'ls' } | bash", "safe"],
    ["& { 'ls' } 'rm -rf ~' | bash", "safe"],
    ["& { 'rm -rf ~' } | Out-Null", "safe"],
    ["& { $x } | bash", "high"],
    ["& { 'ls'; $x } | bash", "high"],
    ["& { 'ls' > y.txt } | bash", "high"],
    // A function or alias the line defines runs instead of the cmdlet of its name: its output is not known.
    ["function Write-Output { 'rm -rf ~' }; & { Write-Output ls } | bash", "high"],
    ["function Write-Output { 'rm -rf ~' }; & { & { Write-Output ls } } | bash", "high"],
    ["function Write-Output { 'rm -rf ~' }; & { Write-Output ls } > x.sh; bash x.sh", "high"],
  ])("%s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
