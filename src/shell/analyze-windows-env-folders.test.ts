import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";

/**
 * In a Windows home, PowerShell's `$env:APPDATA`, `$env:LOCALAPPDATA` and `$env:USERPROFILE` name the
 * user's folders (cmd.exe's `%APPDATA%`, `%LOCALAPPDATA%`, `%USERPROFILE%` too), as `$env:TEMP` does,
 * unless the line may set an environment variable itself or runs text wren must decode first.
 * Each row's POSIX twin (bash, cwd /home/ada/code/app, home /home/ada) is rated the same.
 */
const windows = shellAnalysis("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const posix = shellAnalysis("/home/ada/code/app", "/home/ada");
const HISTORY = "Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt";

describe("Windows user folders named by environment variables", () => {
  it.each([
    [`Remove-Item $env:APPDATA\\${HISTORY}`, "rm ~/.bash_history", "high"],
    [`Remove-Item "\${env:AppData}\\${HISTORY}"`, "rm ~/.bash_history", "high"],
    [`Remove-Item $env:LOCALAPPDATA\\..\\Roaming\\${HISTORY}`, "rm ~/.bash_history", "high"],
    ["Remove-Item -Recurse -Force $env:LOCALAPPDATA\\Temp\\build", "rm -rf /tmp/build", "moderate"],
    ["Remove-Item -Recurse -Force $env:USERPROFILE", "rm -rf ~", "critical"],
    ["Remove-Item -Recurse -Force $env:USERPROFILE\\Documents", "rm -rf ~/Documents", "high"],
    [`cmd /c 'del %APPDATA%\\${HISTORY}'`, "rm ~/.bash_history", "high"],
    ["cmd /c 'rd /s /q %LOCALAPPDATA%\\Temp\\build'", "rm -rf /tmp/build", "moderate"],
    ["cmd /c 'rd /s /q %USERPROFILE%'", "rm -rf ~", "critical"],
  ])("%j is rated as %j: %s", (line, twin, risk) => {
    const r = windows(line, "powershell");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
    expect(posix(twin, "bash").risk).toBe(risk);
  });

  it.each([
    "$env:USERPROFILE = 'C:\\Windows'; Remove-Item -Recurse -Force $env:USERPROFILE\\Temp\\x",
    "$env:LOCALAPPDATA = 'C:\\Windows'; Remove-Item -Recurse -Force $env:LOCALAPPDATA\\Temp\\x",
    "Set-Item Env:LOCALAPPDATA C:\\Windows; Remove-Item -Recurse -Force $env:LOCALAPPDATA\\Temp\\x",
    "[Environment]::SetEnvironmentVariable('USERPROFILE', 'C:\\Windows'); Remove-Item -Recurse -Force $env:USERPROFILE\\Temp\\x",
    "$env:HOME = 'C:\\Windows'; Remove-Item -Recurse -Force $env:HOME\\Temp\\x",
    "Set-Item Env:HOME C:\\Windows; Remove-Item -Recurse -Force $env:HOME\\Temp\\x",
    "[Environment]::SetEnvironmentVariable('HOME', 'C:\\Windows'); Remove-Item -Recurse -Force $env:HOME\\Temp\\x",
  ])("a line that may set the variable itself leaves it unknown: %j", (line) => {
    const r = windows(line, "powershell");
    expect(r.reasons.map((x) => x.detail), JSON.stringify(r)).toEqual(["deletes a path only known at run time recursively"]);
  });

  it("$env:HOME is unknown on a line that sets it in a POSIX home too, where it is home otherwise", () => {
    const set = posix("$env:HOME = '/'; Remove-Item -Recurse -Force $env:HOME/etc", "powershell");
    expect(set.reasons.map((x) => x.detail), JSON.stringify(set)).toEqual(["deletes a path only known at run time recursively"]);
    expect(posix("Remove-Item -Recurse -Force $env:HOME", "powershell").risk).toBe("critical");
    expect(posix("$env:FOO = 1; Remove-Item -Recurse -Force $env:HOME", "powershell").risk).toBe("critical");
  });

  it.each([
    ["Remove-Item -Recurse -Force $env:HOME", "rm -rf ~", "critical"],
    ["$env:FOO = 1; Remove-Item -Recurse -Force $env:HOME", "FOO=1; rm -rf ~", "critical"],
    // PowerShell's own $HOME is set when it starts and cannot be assigned: setting $env:HOME leaves it home.
    ["$env:HOME = 'C:\\x'; Remove-Item -Recurse -Force $HOME", "rm -rf ~", "critical"],
  ])("$env:HOME stays home where the line does not set it: %j is rated as %j: %s", (line, twin, risk) => {
    const r = windows(line, "powershell");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
    expect(posix(twin, "bash").risk).toBe(risk);
  });

  it.each([
    ["$env:FOO = 1; Remove-Item -Recurse -Force $env:USERPROFILE", "FOO=1; rm -rf ~", "critical"],
    ["$env:TEMP = 'D:\\t'; Remove-Item -Recurse -Force $env:USERPROFILE", "TMPDIR=/x; rm -rf ~", "critical"],
    ["$env:FOO = 1; Remove-Item $env:APPDATA\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt", "FOO=1; rm ~/.bash_history", "high"],
  ])("a line that sets another variable leaves these as they are: %j is rated as %j: %s", (line, twin, risk) => {
    const r = windows(line, "powershell");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
    expect(posix(twin, "bash").risk).toBe(risk);
  });

  it("without a Windows home the variables stay unknown", () => {
    const r = posix(`Remove-Item $env:APPDATA/${HISTORY.replace(/\\/g, "/")}`, "powershell");
    expect(r.risk, JSON.stringify(r)).not.toBe("high");
  });
});
