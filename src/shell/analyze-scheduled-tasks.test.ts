import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * A scheduled task is code that runs later, out of the user's sight, as a crontab is: creating or
 * changing one is high, and the command it runs (`/tr`) is judged as a command too. Deleting,
 * running or ending one is moderate; listing them is safe.
 */
const rated = shellRater();

describe("schtasks.exe", () => {
  it.each<[string, ShellKind, Risk]>([
    ["schtasks /create /tn x /tr c:\\x.exe /sc onlogon", "powershell", "high"],
    ["schtasks /create /tn x /tr c:\\x.exe /sc onlogon", "bash", "high"],
    ["schtasks /create /tn x /tr c:\\x.exe /sc onlogon", "zsh", "high"],
    ["schtasks /create /tn x /tr c:\\x.exe /sc onlogon", "fish", "high"],
    ["SCHTASKS.EXE /Create /TN x /TR c:\\x.exe /SC DAILY", "powershell", "high"],
    ["schtasks.exe /create /tn x /tr c:\\\\x.exe /sc onlogon", "bash", "high"],
    ["C:\\Windows\\System32\\schtasks /create /tn x /tr c:\\x.exe /sc onlogon", "powershell", "high"],
    ["schtasks -create -tn x -tr c:\\x.exe -sc onlogon", "powershell", "high"],
    ["schtasks /create /xml task.xml /tn x", "powershell", "high"],
    ["schtasks /change /tn x /tr c:\\x.exe", "powershell", "high"],
    ["cmd /c schtasks /create /tn x /tr c:\\x.exe /sc onlogon", "powershell", "high"],
    // The task's command is judged as the command it is.
    ["schtasks /create /tn x /tr 'cmd /c rd /s /q C:\\' /sc onlogon", "powershell", "critical"],
    ["schtasks /delete /tn x /f", "powershell", "moderate"],
    ["schtasks /run /tn x", "powershell", "moderate"],
    ["schtasks /end /tn x", "powershell", "moderate"],
    ["schtasks /query", "powershell", "safe"],
    ["schtasks /query /tn x /v /fo list", "bash", "safe"],
    ["schtasks", "powershell", "safe"],
  ])("%s (%s) is %s", (command, shell, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("PowerShell's ScheduledTasks cmdlets", () => {
  it.each<[string, Risk]>([
    ["Register-ScheduledTask -TaskName x -Action (New-ScheduledTaskAction -Execute c:\\x.exe) -Trigger (New-ScheduledTaskTrigger -AtLogOn)", "high"],
    ["Register-ScheduledTask x -InputObject $task", "high"],
    ["Set-ScheduledTask -TaskName x -Action $action", "high"],
    ["Register-ScheduledJob -Name x -ScriptBlock { Get-Date } -Trigger $t", "high"],
    ["Unregister-ScheduledTask -TaskName x -Confirm:$false", "moderate"],
    ["Start-ScheduledTask -TaskName x", "moderate"],
    ["Disable-ScheduledTask -TaskName x", "moderate"],
    ["$a = New-ScheduledTaskAction -Execute c:\\x.exe", "safe"],
    ["New-ScheduledTaskTrigger -AtLogOn", "safe"],
    ["Get-ScheduledTask", "safe"],
  ])("%s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
