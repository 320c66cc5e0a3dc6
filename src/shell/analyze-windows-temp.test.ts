import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";
import { classifyPath } from "./paths.js";

/**
 * Windows' temporary folders are judged as /tmp is: what is inside C:\Windows\Temp, the user's
 * AppData\Local\Temp (`$env:TEMP`, `$env:TMP`, cmd.exe's `%TEMP%`) is temporary; the folders
 * themselves are judged as before. PSReadLine's history in a Windows home is a history as
 * ~/.bash_history is. Each row's POSIX twin (bash, cwd /home/ada/code/app, home /home/ada) is rated the same.
 */
const windows = shellAnalysis("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const posix = shellAnalysis("/home/ada/code/app", "/home/ada");
const HISTORY = "AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt";

describe("Windows temporary folders and the PowerShell history", () => {
  it.each([
    ["Remove-Item -Recurse -Force $env:TEMP\\build", "rm -rf /tmp/build", "moderate"],
    ["Remove-Item -Recurse -Force ${env:TMP}\\build", "rm -rf /tmp/build", "moderate"],
    ["Remove-Item -Recurse -Force \"$env:TEMP\\build\"", "rm -rf /tmp/build", "moderate"],
    ["Remove-Item -Recurse -Force C:\\Windows\\Temp\\build", "rm -rf /tmp/build", "moderate"],
    ["Remove-Item -Recurse -Force c:\\windows\\TEMP\\build", "rm -rf /tmp/build", "moderate"],
    ["Remove-Item -Recurse -Force C:\\Users\\ada\\AppData\\Local\\Temp\\build", "rm -rf /tmp/build", "moderate"],
    ["Remove-Item -Recurse -Force ~\\AppData\\Local\\Temp\\build", "rm -rf /tmp/build", "moderate"],
    ["cmd /c 'rd /s /q %TEMP%\\build'", "rm -rf /tmp/build", "moderate"],
    ["Set-Content C:\\Windows\\Temp\\x.txt hi", "echo hi > /tmp/x.txt", "safe"],
    ["Copy-Item x.txt C:\\Windows\\Temp", "cp x.txt /tmp", "safe"],
    ["Remove-Item -Recurse -Force C:\\Windows\\Temp", "rm -rf /tmp", "critical"],
    ["Remove-Item -Recurse -Force C:\\Windows\\Temp\\..\\System32", "rm -rf /etc", "critical"],
    [`Remove-Item ~\\${HISTORY}`, "rm ~/.bash_history", "high"],
    [`Remove-Item C:\\Users\\ada\\${HISTORY}`, "rm ~/.bash_history", "high"],
  ])("%j is rated as %j: %s", (line, twin, risk) => {
    const r = windows(line, "powershell");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
    expect(posix(twin, "bash").risk).toBe(risk);
  });

  it("a line that sets TEMP itself leaves $env:TEMP unknown", () => {
    const r = windows("$env:TEMP = 'C:\\'; Remove-Item -Recurse -Force $env:TEMP\\Windows", "powershell");
    expect(r.risk, JSON.stringify(r)).not.toBe("moderate");
    expect(windows("Set-Item Env:TEMP C:\\; Remove-Item -Recurse -Force $env:TEMP\\Windows", "powershell").risk).not.toBe("moderate");
  });

  it("classifies the paths as /tmp and ~/.bash_history are", () => {
    const ctx = { cwd: "C:\\Users\\ada\\code\\app", home: "C:\\Users\\ada" };
    expect(classifyPath("C:\\Windows\\Temp\\x", ctx)).toBe("temp");
    expect(classifyPath("C:\\Users\\bob\\AppData\\Local\\Temp\\x", ctx)).toBe("temp");
    expect(classifyPath("D:\\ada\\AppData\\Local\\Temp\\x", { cwd: "D:\\ada\\app", home: "D:\\ada" })).toBe("temp");
    expect(classifyPath(`C:\\Users\\ada\\${HISTORY}`, ctx)).toBe("home-history");
    expect(classifyPath(`C:\\Users\\bob\\${HISTORY}`, ctx)).toBe("home-history");
    expect(classifyPath("C:\\Users\\ada\\AppData\\Local\\Temp", ctx)).toBe("home-sub");
    expect(classifyPath("C:\\Users\\ada\\AppData\\Local\\Tempest\\x", ctx)).toBe("home-sub");
  });
});
