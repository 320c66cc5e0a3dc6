import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * bash, zsh and fish run on Windows too (Git Bash, WSL, MSYS2), where a program's name keeps the
 * `.exe` it is typed with and Windows finds it in any case: `sc.exe`, `SC.EXE` and (in Git Bash) `Sc`
 * are all sc. The rules for Windows programs name them bare and lowercase, so each spelling is read
 * as that name, in every shell.
 */
const rated = shellRater();

describe("a Windows program typed into a POSIX shell", () => {
  it.each<[string, ShellKind, Risk]>([
    ["sc.exe delete MySvc", "bash", "moderate"],
    ["sc.exe create x binPath= c:\\\\x.exe", "bash", "high"],
    ["SC.EXE delete MySvc", "zsh", "moderate"],
    ["Sc delete MySvc", "fish", "moderate"],
    ["/c/Windows/System32/sc.exe delete MySvc", "bash", "moderate"],
    ["'C:\\Windows\\System32\\sc.exe' config MySvc start= auto", "bash", "moderate"],
    ["sc.exe stop sshd", "bash", "critical"],
    ["sc.exe query MySvc", "bash", "safe"],
    ["reg.exe delete HKLM\\\\Software\\\\x /f", "bash", "high"],
    ["REG.EXE add HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run /v x /d c:\\\\x.exe", "bash", "high"],
    ["bcdedit.exe /set safeboot minimal", "bash", "high"],
    ["wmic.exe shadowcopy delete", "bash", "critical"],
    ["wbadmin.exe delete catalog", "zsh", "critical"],
    ["icacls.exe C:\\\\ /t /grant x:F", "bash", "high"],
    ["takeown.exe /f C:\\\\ /r", "bash", "high"],
    ["cacls.exe C:\\\\ /t", "bash", "high"],
    ["format.com C:", "bash", "critical"],
    ["diskpart.exe", "bash", "high"],
    ["netsh.exe advfirewall set allprofiles state off", "bash", "high"],
    ["TASKKILL /im lsass.exe", "bash", "critical"],
    ["Net.exe user administrator x", "bash", "critical"],
    ["SHUTDOWN.EXE /s", "bash", "critical"],
    ["CMD.EXE /c 'rd /s /q C:\\'", "bash", "critical"],
    // The same names in PowerShell, as before: bare `sc` is still Set-Content there.
    ["SC.EXE delete MySvc", "powershell", "moderate"],
    ["sc x.txt hello", "powershell", "safe"],
  ])("%s (%s) is %s", (command, shell, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});
