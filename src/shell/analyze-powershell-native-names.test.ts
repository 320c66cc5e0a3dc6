import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

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
