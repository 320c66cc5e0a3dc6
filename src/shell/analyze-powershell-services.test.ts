import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * New-Service installs a service: a program Windows runs as LocalSystem unless told otherwise,
 * started at boot with `-StartupType Automatic`. It is rated as `sc.exe create` is, and the service
 * cmdlets that change an existing service as `sc.exe config` is.
 */
const rated = shellRater();

describe("PowerShell's service cmdlets are rated as sc.exe is", () => {
  it.each<[string, Risk]>([
    ["New-Service -Name x -BinaryPathName 'C:\\evil.exe'", "high"],
    ["New-Service x C:\\evil.exe", "high"],
    ["new-service -name x -binarypathname C:\\evil.exe -StartupType Automatic", "high"],
    ["New-Service -Name x -BinaryPathName 'C:\\evil.exe' -StartupType Disabled", "high"],
    ["Microsoft.PowerShell.Management\\New-Service x C:\\evil.exe", "high"],
    ["sc.exe create x binPath= C:\\evil.exe", "high"],
    ["Set-Service x -StartupType Automatic", "moderate"],
    ["sc.exe config x start= auto", "moderate"],
    ["Get-Service x", "safe"],
  ])("%s is %s", (command, risk) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
  });

  it("says that New-Service creates a service", () => {
    expect(rated("New-Service x C:\\evil.exe", "powershell").details.join(" ")).toMatch(/creates a service/);
  });

  it("is the same through pwsh -Command", () => {
    const r = rated("pwsh -Command \"New-Service -Name x -BinaryPathName 'C:\\evil.exe'\"");
    expect(r.risk, r.shown).toBe("high");
  });
});
