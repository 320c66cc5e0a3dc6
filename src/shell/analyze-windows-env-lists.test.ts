import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * The lists of paths that variables hold (LD_PRELOAD's files, LD_LIBRARY_PATH's folders, the PATH)
 * on a line read as Windows (PowerShell's, cmd.exe's): split at `;`, as Windows' own lists are, and
 * never at a drive letter's colon, so the reason names `C:\…`, not `\…`. cmd.exe's
 * `set NAME="VALUE"` keeps both quotes in the value (only `set "NAME=VALUE"` drops them), and Node
 * reads quotes in NODE_OPTIONS. Each row gives the risk and a reason the line must have.
 */
const windows = shellRater("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const linux = shellRater();
const temp = "C:\\Users\\ada\\AppData\\Local\\Temp";
const loads = (what: string, name: string): string => `makes every program started after it load ${what} (${name})`;
const first = (dir: string): string => `puts ${dir} first on the PATH, where its programs run instead of the system's`;

describe("lists of paths on a line read as Windows", () => {
  it.each<[string, Risk, string?]>([
    ['cmd /c "set LD_PRELOAD=%TEMP%\\x.so && app.exe"', "high", loads(`${temp}\\x.so`, "LD_PRELOAD")],
    [`$env:LD_PRELOAD = '${temp}\\x.so'; app`, "high", loads(`${temp}\\x.so`, "LD_PRELOAD")],
    [`$env:LD_PRELOAD = 'C:\\Temp\\a.so;C:\\Temp\\b.so'; app`, "high", loads("C:\\Temp\\b.so", "LD_PRELOAD")],
    [`$env:LD_AUDIT = '${temp}\\x.so'; app`, "high", loads(`${temp}\\x.so`, "LD_AUDIT")],
    [`$env:DYLD_INSERT_LIBRARIES = '${temp}\\x.so'; app`, "high", loads(`${temp}\\x.so`, "DYLD_INSERT_LIBRARIES")],
    [`$env:LD_LIBRARY_PATH = 'C:\\Temp\\lib'; app`, "high", loads("libraries from C:\\Temp\\lib", "LD_LIBRARY_PATH")],
    [`cmd /c "set LD_LIBRARY_PATH=C:\\tools;%TEMP%\\lib && app"`, "high", loads(`libraries from ${temp}\\lib`, "LD_LIBRARY_PATH")],
    ['cmd /c "set PATH=C:\\Temp\\bin;%PATH% && git status"', "moderate", first("C:\\Temp\\bin")],
    ["$env:PATH = 'C:\\Temp\\bin;' + $env:PATH", "moderate", first("C:\\Temp\\bin")],
    ["cmd /c 'set PATH=\"%TEMP%\";%PATH% && git status'", "moderate", first(temp)],
    // A folder outside the project and the system's, named whole.
    ["$env:LD_LIBRARY_PATH = 'C:\\tools\\lib'; app", "moderate", loads("libraries from C:\\tools\\lib", "LD_LIBRARY_PATH")],
    // A Linux list in PowerShell on Linux still splits at its colons.
    ["$env:LD_PRELOAD = '/usr/lib/libc.so.6:/tmp/evil.so'; ls", "high", loads("/tmp/evil.so", "LD_PRELOAD")],
    // keep safe
    ['cmd /c "set PATH=C:\\tools\\bin;%PATH% && where node"', "safe"],
    ["$env:PATH = 'C:\\tools;' + $env:PATH", "safe"],
    ['cmd /c "set PATH=C:\\evil;%PATH% && app"', "safe"],
  ])("powershell: %s is %s", (line, risk, detail) => {
    const result = windows(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });

  it.each<[string, Risk, string?]>([
    ["LD_PRELOAD=/usr/lib/libc.so.6:/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["export LD_PRELOAD='/usr/lib/libc.so.6 /tmp/evil.so'", "high", loads("/tmp/evil.so", "LD_PRELOAD")],
    ["export LD_LIBRARY_PATH=/opt/lib:/tmp/lib", "high", loads("libraries from /tmp/lib", "LD_LIBRARY_PATH")],
  ])("bash: %s is %s", (line, risk, detail) => {
    const result = linux(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("cmd.exe's set NAME=\"VALUE\" keeps both quotes", () => {
  it.each<[string, Risk, string?]>([
    ["cmd /c 'set NODE_OPTIONS=\"--require %TEMP%\\x.js\" && node app.js'", "high", loads(`${temp}\\x.js`, "NODE_OPTIONS")],
    ["cmd /c 'set NODE_OPTIONS=--require \"%TEMP%\\x.js\" && node app.js'", "high", loads(`${temp}\\x.js`, "NODE_OPTIONS")],
    ["cmd /c 'set \"NODE_OPTIONS=--require %TEMP%\\x.js\" && node app.js'", "high", loads(`${temp}\\x.js`, "NODE_OPTIONS")],
    ["cmd /c 'set LD_PRELOAD=\"%TEMP%\\x.so\" && app'", "high", loads(`${temp}\\x.so`, "LD_PRELOAD")],
    ["$env:NODE_OPTIONS = '--require \"C:\\Temp\\my dir\\x.js\"'; node app.js", "high", loads("C:\\Temp\\my dir\\x.js", "NODE_OPTIONS")],
    // keep safe
    ["cmd /c 'set NODE_OPTIONS=\"--max-old-space-size=4096\" && npm run build'", "safe"],
    ["cmd /c 'set NODE_ENV=\"production\" && npm run build'", "safe"],
  ])("powershell: %s is %s", (line, risk, detail) => {
    const result = windows(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });

  it.each<[string, Risk, string?]>([
    ["NODE_OPTIONS='--require \"/tmp/my dir/x.js\"' node app.js", "high", "makes node load /tmp/my dir/x.js (NODE_OPTIONS)"],
  ])("bash: %s is %s", (line, risk, detail) => {
    const result = linux(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
