import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import { riskRank, type Risk, type ShellKind } from "./types.js";

/** Windows' Startup folder and registry Run keys: what is put there runs at the next login. */
const cwd = "C:\\Users\\ada\\code\\app";
const home = "C:\\Users\\ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function rated(command: string, shell: ShellKind): { risk: Risk; shown: string; details: string[] } {
  const result = analyzer.analyze(command, { shell, cwd, home });
  return { risk: result.risk, shown: `${shell}: ${command} → ${result.risk} ${JSON.stringify(result.reasons)}`, details: result.reasons.map((r) => r.detail) };
}

const startup = "$env:APPDATA\\Microsoft\\Windows\\Start Menu\\Programs\\Startup";

describe("writing into the Windows Startup folder", () => {
  it.each<[ShellKind, string]>([
    ["powershell", `Set-Content "${startup}\\x.bat" "calc"`],
    ["powershell", `Add-Content -Path "${startup}\\x.bat" -Value calc`],
    ["powershell", `Copy-Item x.bat "${startup}\\"`],
    ["powershell", `Move-Item -Path x.lnk -Destination "${startup}"`],
    ["powershell", `"calc" | Out-File "${startup}\\x.bat"`],
    ["powershell", `echo calc > "${startup}\\x.bat"`],
    ["powershell", `[IO.File]::WriteAllText("${startup}\\x.bat", "calc")`],
    ["powershell", `[void][IO.File]::Copy("x.bat", "${startup}\\x.bat", $true)`],
    ["powershell", "Set-Content 'C:\\Users\\ada\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\x.bat' calc"],
    ["powershell", "Copy-Item x.bat shell:startup"],
    ["powershell", "Copy-Item x.bat 'shell:common startup\\x.bat'"],
    ["powershell", "Copy-Item x.lnk \"$([Environment]::GetFolderPath('Startup'))\\x.lnk\""],
    ["powershell", "Copy-Item x.lnk ([Environment]::GetFolderPath([Environment+SpecialFolder]::CommonStartup))"],
    ["bash", "echo calc > '/mnt/c/Users/ada/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/x.bat'"],
  ])("%s: %s is high: it runs at the next login", (shell, command) => {
    const r = rated(command, shell);
    expect(riskRank(r.risk), r.shown).toBeGreaterThanOrEqual(riskRank("high"));
    expect(r.details, r.shown).toContain("puts a file in the Windows Startup folder, which runs it at every login");
  });

  it.each([`Copy-Item "${startup}\\x.lnk" backup\\`, "Get-ChildItem shell:startup", `Get-Content "${startup}\\x.bat"`, "Set-Content .\\Startup\\x.txt hi"])("%s stays safe", (command) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("adding a program to a registry Run key", () => {
  it.each<[ShellKind, string]>([
    ["powershell", "Set-ItemProperty HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run -Name x -Value calc"],
    ["powershell", "New-ItemProperty -Path 'HKCU:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name x -Value calc"],
    ["powershell", "Set-ItemProperty Registry::HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run -Name x -Value calc"],
    ["powershell", "Set-ItemProperty HKLM:\\Software\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run x calc"],
    ["powershell", "reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x /d calc"],
    ["bash", "reg add 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' /v x /d calc"],
    ["bash", "reg.exe add 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run' /v x /d calc /f"],
  ])("%s: %s is high", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toContain("adds a program to a registry Run key, which starts it at every login");
  });

  it.each(["reg query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "Get-ItemProperty HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "Set-ItemProperty HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Runtime -Name x -Value 1"])("%s stays safe", (command) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe("safe");
  });
});
