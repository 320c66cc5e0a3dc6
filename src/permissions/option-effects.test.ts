import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionRule } from "./types.js";

/**
 * git subcommands a user plausibly allows by prefix (`Bash(git log:*)`, `Bash(git fetch:*)`) take
 * options that write a file they name (`--output`, `archive -o`, `bundle create F`,
 * `format-patch -o DIR`) or run a program they name (`grep -O CMD`, `--upload-pack CMD`,
 * `difftool -x CMD`, `submodule foreach CMD`). Such a call is judged as the write, or as a program
 * the model chose: a prefix rule for the subcommand does not cover it.
 */
const root = "/home/ada/code/app";
const home = "/home/ada";
const allow = (pattern: string): PermissionRule => ({ action: "allow", pattern, scope: "project" });

describe("git options that write files or run programs", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const decided = (command: string, rules: PermissionRule[]) =>
    decide({ tool: "Bash", effect: "execute", command }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p });

  it.each<[string, string]>([
    ["git log -1 --format=x --output=.git/config", "git log:*"],
    ["git diff --output .git/config", "git diff:*"],
    ["git show --output=/home/ada/.bashrc HEAD", "git show:*"],
    ["git log --output=../outside.txt", "git log:*"],
    ["git archive -o .git/config HEAD", "git archive:*"],
    ["git archive --output=/tmp/x.tar HEAD", "git archive:*"],
    ["git bundle create /tmp/x.bundle HEAD", "git bundle:*"],
    ["git format-patch -o .git/hooks HEAD~1", "git format-patch:*"],
    ["git format-patch --output-directory=.wren HEAD~1", "git format-patch:*"],
  ])("%j is a write its prefix rule does not let through", (command, rule) => {
    const decision = decided(command, [allow(`Bash(${rule})`)]);
    expect(decision.action, decision.reason).toBe("ask");
  });

  it.each<[string, string]>([
    ["git grep -O./run.sh foo", "git grep:*"],
    ["git grep --open-files-in-pager='./run.sh' foo", "git grep:*"],
    ["git ls-remote --upload-pack='./run.sh' .", "git ls-remote:*"],
    ["git fetch --upload-pack './run.sh' .", "git fetch:*"],
    ["git pull --upload-pack='./run.sh' .", "git pull:*"],
    ["git clone -u './run.sh' . x", "git clone:*"],
    ["git push --receive-pack='./run.sh' .", "git push:*"],
    ["git push --exec='./run.sh' .", "git push:*"],
    ["git archive --remote=. --exec='./run.sh' HEAD", "git archive:*"],
    ["git difftool -x './run.sh'", "git difftool:*"],
    ["git difftool --extcmd='./run.sh'", "git difftool:*"],
    ["git submodule foreach './run.sh'", "git submodule:*"],
  ])("%j runs a program its prefix rule does not let through", (command, rule) => {
    const decision = decided(command, [allow(`Bash(${rule})`)]);
    expect(decision.action, decision.reason).toBe("ask");
  });

  it("a rule that names the command exactly still allows it", () => {
    const command = "git grep -Ocat foo";
    expect(decided(command, [allow(`Bash(${command})`)]).action).toBe("allow");
  });

  it.each<[string, string]>([
    ["git log --oneline -5", "git log:*"],
    ["git diff --stat", "git diff:*"],
    ["git grep -n foo", "git grep:*"],
    ["git fetch origin", "git fetch:*"],
    ["git log --output=notes.txt", "git log:*"],
    ["git archive -o app.tar HEAD", "git archive:*"],
    ["git submodule status", "git submodule:*"],
  ])("%j still runs under its rule", (command, rule) => {
    const decision = decided(command, [allow(`Bash(${rule})`)]);
    expect(decision.action, decision.reason).toBe("allow");
  });
});

describe("other commands' options that name a program", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const decided = (command: string, rule: string) =>
    decide({ tool: "Bash", effect: "execute", command }, { rules: [allow(`Bash(${rule})`)], mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p });

  it.each<[string, string]>([
    ["rg --pre ./run.sh foo", "rg:*"],
    ["rg --pre=./run.sh foo", "rg:*"],
    ["sort --compress-program=./run.sh big.txt", "sort:*"],
    ["sort --compress-prog ./run.sh big.txt", "sort:*"],
    ["tar -I ./run.sh -cf a.tar src", "tar:*"],
    ["tar --use-compress-program=./run.sh -cf a.tar src", "tar:*"],
    ["tar -cf a.tar --checkpoint=1 --checkpoint-action=exec=./run.sh src", "tar:*"],
    ["man -P ./run.sh ls", "man:*"],
    ["zip -T -TT ./run.sh a.zip x", "zip:*"],
    ["rsync -e ./run.sh a b", "rsync:*"],
    ["npm test --script-shell ./run.sh", "npm test:*"],
    ["npm run test --script-shell=./run.sh", "npm run test:*"],
    ["go test -exec ./run.sh ./...", "go test:*"],
    ["go test -toolexec=./run.sh ./...", "go test:*"],
    ["make SHELL=./run.sh", "make:*"],
  ])("%j asks under %s", (command, rule) => {
    const decision = decided(command, rule);
    expect(decision.action, decision.reason).toBe("ask");
  });

  it.each<[string, string]>([
    ["rg -n foo src", "rg:*"],
    ["sort -u names.txt", "sort:*"],
    ["tar -czf a.tgz src", "tar:*"],
    ["man ls", "man:*"],
    ["npm test", "npm test:*"],
    ["go test ./...", "go test:*"],
    ["make build", "make:*"],
  ])("%j still runs under %s", (command, rule) => {
    const decision = decided(command, rule);
    expect(decision.action, decision.reason).toBe("allow");
  });
});

describe("files other commands write through an option", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());
  const decided = (command: string, rules: PermissionRule[]) =>
    decide({ tool: "Bash", effect: "execute", command }, { rules, mode: "default", projectRoot: root, home, interactive: true, commands, realPath: (p) => p });

  it.each<[string, string]>([
    ["find . -fprint .git/config", "find:*"],
    ["find . -fprintf .wren/settings.toml '%p'", "find:*"],
    ["find . -fls /home/ada/.bashrc", "find:*"],
    ["sort -o .git/config notes.txt", "sort:*"],
    ["sort -uo.git/config notes.txt", "sort:*"],
    ["sort --output=.git/config notes.txt", "sort:*"],
    ["openssl enc -d -in x -out .git/config", "openssl:*"],
    ["curl -sD .git/config https://example.com", "curl:*"],
    ["wget -o .git/config https://example.com", "wget:*"],
    ["gcc x.c -o .git/hooks/pre-commit", "gcc:*"],
    ["go build -o .git/hooks/pre-commit .", "go build:*"],
    ["rustc x.rs -o /home/ada/bin/ls", "rustc:*"],
    ["pandoc x.md -o ../outside.html", "pandoc:*"],
  ])("%j is a write its rule %s does not let through", (command, rule) => {
    const decision = decided(command, [allow(`Bash(${rule})`)]);
    expect(decision.action, decision.reason).toBe("ask");
  });

  it("an Edit deny refuses what such an option writes", () => {
    const decision = decided("sort -o notes.txt other.txt", [allow("Bash(sort:*)"), { action: "deny", pattern: "Edit(notes.txt)", scope: "project" }]);
    expect(decision.action).toBe("deny");
    expect(decision.rule?.pattern).toBe("Edit(notes.txt)");
  });

  it.each<[string, string]>([
    ["sort -o sorted.txt notes.txt", "sort:*"],
    ["find . -fprint list.txt", "find:*"],
    ["gcc x.c -O2 -o build/x", "gcc:*"],
    ["go build -o bin/app .", "go build:*"],
    ["curl -sSL https://example.com", "curl:*"],
  ])("%j still runs under %s", (command, rule) => {
    const decision = decided(command, [allow(`Bash(${rule})`)]);
    expect(decision.action, decision.reason).toBe("allow");
  });
});
