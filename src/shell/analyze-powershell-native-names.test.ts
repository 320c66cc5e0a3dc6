import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * PowerShell never applies an alias to a name written with an extension: `sc.exe` is the service
 * control tool, not `sc` (Set-Content), as `curl.exe` is curl. sc.exe's
 * service changes are rated as Stop-Service, Set-Service and Remove-Service are, and creating a
 * service as `systemctl enable` is (one that starts on its own at boot).
 */
const rated = shellRater();

describe("a PowerShell name with an extension is the program", () => {
  it.each<[string, Risk]>([
    ["sc.exe delete MySvc", "moderate"],
    ["sc.exe stop MySvc", "moderate"],
    ["sc.exe config MySvc binPath= C:\\x.exe", "moderate"],
    ["SC.EXE DELETE MySvc", "moderate"],
    ["sc.exe \\\\server delete MySvc", "moderate"],
    ["C:\\Windows\\System32\\sc.exe failure MySvc command= C:\\x.exe", "moderate"],
    ["sc.com delete MySvc", "moderate"],
    ["sc.exe create MySvc binPath= C:\\x.exe start= auto", "high"],
    ["sc.exe stop sshd", "critical"],
    ["sc.exe config winrm start= disabled", "critical"],
    ["sc.exe stop EventLog", "high"],
    ["sc.exe query MySvc", "safe"],
    ["sc.exe qc MySvc", "safe"],
    ["sc.exe start MySvc", "safe"],
    // `sc` alone is still Set-Content, and writing a file in the project is safe.
    ["sc x.txt hello", "safe"],
    ["Remove-Service MySvc", "moderate"],
  ])("%s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });

  it("sc.exe is not Set-Content, so it writes no file", () => {
    const r = rated("sc.exe C:\\Windows\\System32\\drivers\\etc\\hosts x", "powershell");
    expect(r.details.join(" "), r.shown).not.toMatch(/hosts/);
    // Set-Content through its alias still writes the file.
    expect(rated("sc C:\\Windows\\System32\\drivers\\etc\\hosts x", "powershell").risk).not.toBe("safe");
  });

});

// sc.exe's first operand is its verb (after a `\\server` it may start with): a later word is a service
// name or a `type= own` value, and decides nothing.
describe("sc.exe's verb decides what it does", () => {
  it.each<[string, ShellKind, Risk]>([
    ["sc query create", "bash", "safe"],
    ["sc.exe query create", "powershell", "safe"],
    ["sc.exe query type= own", "powershell", "safe"],
    ["sc.exe qc delete", "powershell", "safe"],
    ["sc.exe getdisplayname config", "powershell", "safe"],
    ["sc.exe \\\\server query delete", "powershell", "safe"],
    ["sc.exe query winrm stop", "powershell", "safe"],
    ["sc query sshd stop", "bash", "safe"],
    ["sc.exe start config", "powershell", "safe"],
    ["sc '\\\\server' create x binPath= C:\\\\x.exe", "bash", "high"],
    ["sc \\\\server stop sshd", "bash", "critical"],
    ["sc.exe \\\\server config winrm start= disabled", "powershell", "critical"],
    ["SC.EXE \\\\server DELETE MySvc", "powershell", "moderate"],
    ["sc stop sshd", "bash", "critical"],
    ["sc.exe stop sshd", "bash", "critical"],
    ["sc delete MySvc", "bash", "moderate"],
  ])("%s (%s) is %s", (command, shell, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

// PowerShell looks an alias up only for a bare name: a name with a path is the file it names
// (`C:\Windows\System32\sc` runs sc.exe), while a module-qualified name is that module's command.
describe("a PowerShell name with a path is no alias", () => {
  it.each<[string, Risk]>([
    ["C:\\Windows\\System32\\sc stop sshd", "critical"],
    ["C:/Windows/System32/sc stop sshd", "critical"],
    ["& C:\\Windows\\System32\\sc stop sshd", "critical"],
    [".\\sc stop sshd", "critical"],
    ["..\\bin\\sc stop sshd", "critical"],
    ["\\\\host\\share\\sc stop sshd", "critical"],
    ["~\\bin\\sc stop sshd", "critical"],
    // A module-qualified name may also be a relative path: both readings are judged.
    ["bin\\sc stop sshd", "critical"],
    ["Microsoft.PowerShell.Management\\Remove-Item -Recurse -Force C:\\", "critical"],
    ["Microsoft.PowerShell.Management\\New-Service x C:\\evil.exe", "high"],
    ["sc x.txt hello", "safe"],
  ])("%s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });
});
