import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { createCommandAnalyzer } from "../permissions/command-parts.js";
import { decide } from "../permissions/decide.js";
import type { PermissionRule } from "../permissions/types.js";
import { BASH_MAX_OUTPUT_CHARS, BASH_MAX_TIMEOUT_MS, bashTool } from "./bash.js";
import { runTool } from "./run-tool.js";
import { createSessionShell, type SessionShell } from "./session-shell.js";
import type { ToolContext } from "./tool.js";

function hasProgram(name: string): boolean {
  return (process.env["PATH"] ?? "").split(path.delimiter).some((dir) => dir !== "" && existsSync(path.join(dir, name)));
}

// The POSIX session shell; Windows runs PowerShell, whose commands these are not.
const posix = process.platform !== "win32";

function sessionContext(root: string, shell: SessionShell, signal?: AbortSignal): ToolContext {
  return toolContext(root, { shell, cwd: () => shell.cwd(), ...(signal ? { signal } : {}) });
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Waits until a process is dead (a zombie counts: killed, waiting for a parent that may never reap
 * it in a container without an init); the test's own timeout bounds the wait.
 */
async function gone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    if (/^\d+ \(.*\) Z/.test(stat)) return;
    await pause();
  }
}

/** A file's first line, once the command under test has written it. */
async function until(file: string): Promise<string> {
  for (;;) {
    const text = await fs.readFile(file, "utf8").catch(() => "");
    if (text.endsWith("\n")) return text.trim();
    await pause();
  }
}

describe.runIf(posix)("Bash", () => {
  it("keeps the working directory and exported variables between calls", async () => {
    await using dir = await tempDir();
    await fs.mkdir(path.join(dir.path, "sub"));
    await using shell = await createSessionShell({ cwd: dir.path });
    const ctx = sessionContext(dir.path, shell);
    const cd = await runTool(bashTool, { command: "cd sub && export WREN_TEST_VAR='a b'" }, ctx);
    expect(cd).toMatchObject({ isError: false, llmContent: "(no output)" });
    expect(shell.cwd()).toBe(path.join(dir.path, "sub"));
    const after = await runTool(bashTool, { command: 'pwd; echo "$WREN_TEST_VAR"' }, ctx);
    expect(after.llmContent).toBe(`${path.join(dir.path, "sub")}\na b`);
    expect(after.data).toMatchObject({ kind: "bash", exitCode: 0, cwd: path.join(dir.path, "sub") });
  });

  it.each(["bash", "sh"] as const)("%s: a variable the session started with, once unset or no longer exported, stays so in later calls, PATH included", async (kind) => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path, shell: kind, env: { ...process.env, WREN_GONE: "x", WREN_HIDDEN: "y" } });
    const ctx = sessionContext(dir.path, shell);
    // sh has no `export -n`; bash's `unset -v` and `export -n` are what a model writes there.
    const drop = kind === "bash" ? "unset -v WREN_GONE; export -n WREN_HIDDEN" : "unset WREN_GONE WREN_HIDDEN";
    expect(await runTool(bashTool, { command: drop }, ctx)).toMatchObject({ isError: false });
    // As in one shell: one no longer exported stays the shell's own variable, which programs it starts do not inherit.
    const left = kind === "bash" ? "unset y" : "unset unset";
    expect((await runTool(bashTool, { command: 'echo "${WREN_GONE-unset} ${WREN_HIDDEN-unset}"' }, ctx)).llmContent).toBe(left);
    expect((await runTool(bashTool, { command: 'echo "${WREN_GONE-unset} ${WREN_HIDDEN-unset}"' }, ctx)).llmContent).toBe(left);
    expect((await runTool(bashTool, { command: `sh -c 'echo "\${WREN_GONE-unset} \${WREN_HIDDEN-unset}"'` }, ctx)).llmContent).toBe("unset unset");
    // Without PATH the shell still saves what the line exported, and says nothing of its own.
    expect(await runTool(bashTool, { command: "export WREN_KEPT=1; unset PATH" }, ctx)).toMatchObject({ isError: false, llmContent: "(no output)" });
    expect((await runTool(bashTool, { command: 'echo "${PATH-unset} $WREN_KEPT"' }, ctx)).llmContent).toBe("unset 1");
    // Judged as changed: later commands run without PATH.
    expect(Object.keys(bashTool.permission({ command: "ls" }, ctx).exported ?? {})).toEqual(["PATH"]);
    expect(await runTool(bashTool, { command: "export PATH=/usr/bin:/bin" }, ctx)).toMatchObject({ isError: false });
    expect((await runTool(bashTool, { command: "ls -d ." }, ctx)).llmContent).toBe(".");
  });

  it("asks permission for a command where it will run, after a cd within the project in an earlier call", async () => {
    await using project = await tempDir();
    await fs.mkdir(path.join(project.path, "sub"));
    await using shell = await createSessionShell({ cwd: project.path });
    const ctx = sessionContext(project.path, shell);
    expect(bashTool.permission({ command: "rm notes.txt" }, ctx).cwd).toBe(project.path);
    const moved = await runTool(bashTool, { command: "cd sub" }, ctx);
    expect(moved.isError).toBe(false);
    expect(bashTool.permission({ command: "rm notes.txt" }, ctx)).toEqual({ tool: "Bash", effect: "execute", command: "rm notes.txt", cwd: path.join(project.path, "sub"), exported: {} });
  });

  // Every command run outside the project asks, the way back (cd PROJECT) included: a session left
  // there could run no command again without a person to ask (wren -p).
  it("a cd out of the project holds for its own command line only: the shell goes back to where it was, and says so", async () => {
    await using project = await tempDir();
    await using outside = await tempDir();
    await fs.mkdir(path.join(project.path, "sub"));
    await using shell = await createSessionShell({ cwd: path.join(project.path, "sub") });
    const ctx = sessionContext(project.path, shell);
    const moved = await runTool(bashTool, { command: `cd '${outside.path}' && pwd` }, ctx);
    expect(moved.isError).toBe(false);
    expect(moved.llmContent).toBe(`${outside.path}\n[The working directory is back to ${path.join(project.path, "sub")}: it stays inside the project between commands. To run commands elsewhere, cd on the same command line (cd DIR && …).]`);
    expect(shell.cwd()).toBe(path.join(project.path, "sub"));
    expect(bashTool.permission({ command: "rm notes.txt" }, ctx).cwd).toBe(path.join(project.path, "sub"));
    expect((await runTool(bashTool, { command: "pwd" }, ctx)).llmContent).toBe(path.join(project.path, "sub"));
  });

  // A link in the project to a folder outside it is outside: `pwd` prints the link's path, in the project as written.
  it.runIf(posix)("a cd through a symlink to a folder outside the project holds for its own command line only too", async () => {
    await using project = await tempDir();
    await using outside = await tempDir();
    await fs.symlink(outside.path, path.join(project.path, "out"));
    await using shell = await createSessionShell({ cwd: project.path });
    const ctx = sessionContext(project.path, shell);
    const moved = await runTool(bashTool, { command: "cd out && pwd" }, ctx);
    expect(moved.llmContent).toContain("[The working directory is back to");
    expect(shell.cwd()).toBe(project.path);
    // A link to a folder inside the project is inside.
    await fs.mkdir(path.join(project.path, "sub"));
    await fs.symlink(path.join(project.path, "sub"), path.join(project.path, "in"));
    await runTool(bashTool, { command: "cd in" }, ctx);
    expect(shell.cwd()).toBe(path.join(project.path, "in"));
  });

  it("reports the exit code as an error result, stderr included, and keeps a cd made before exit", async () => {
    await using dir = await tempDir();
    await fs.mkdir(path.join(dir.path, "sub"));
    await using shell = await createSessionShell({ cwd: dir.path });
    const result = await runTool(bashTool, { command: "echo out; echo err >&2; cd sub; exit 3" }, sessionContext(dir.path, shell));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("out");
    expect(result.llmContent).toContain("err");
    expect(result.llmContent).toContain("[Exit code 3.]");
    expect(shell.cwd()).toBe(path.join(dir.path, "sub"));
  });

  it("passes quotes and shell syntax through untouched", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    const result = await runTool(bashTool, { command: `printf '%s|' "a'b" 'c"d' $((2+3)) && echo` }, sessionContext(dir.path, shell));
    expect(result.llmContent).toBe(`a'b|c"d|5|`);
  });

  it("caps the output, keeping its start and end, and says how much there was", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    const result = await runTool(bashTool, { command: "echo START; head -c 100000 /dev/zero | tr '\\0' a; echo; echo END" }, sessionContext(dir.path, shell));
    expect(result.isError).toBe(false);
    expect(result.llmContent.startsWith("START\n")).toBe(true);
    expect(result.llmContent).toContain("END\n[Output cut: 100011 characters in all");
    expect(result.llmContent.length).toBeLessThan(BASH_MAX_OUTPUT_CHARS + 300);
    expect(result.data).toMatchObject({ outputChars: 100_011, cutChars: 100_011 - BASH_MAX_OUTPUT_CHARS });
  });

  it("says output that is not text is binary data, with its size, instead of passing on replacement characters", async () => {
    await using dir = await tempDir();
    const binary = await runTool(bashTool, { command: "head -c 3000 /dev/zero | tr '\\000' '\\377'" }, toolContext(dir.path));
    expect(binary.isError).toBe(false);
    expect(binary.llmContent).toBe("[The command printed 2.9 KB of binary data (not UTF-8 text); not shown. Pipe it through xxd, od or strings to see it.]");
    expect(binary.data).toMatchObject({ outputBytes: 3000, binary: true });
    const nul = await runTool(bashTool, { command: "printf 'a\\000b'" }, toolContext(dir.path));
    expect(nul.llmContent).toContain("printed 3 bytes of binary data");
    const nearly = await runTool(bashTool, { command: "printf 'caf\\351 ok\\n'" }, toolContext(dir.path));
    expect(nearly.llmContent).toBe("caf\uFFFD ok");
  });

  it("kills the command when it times out", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    // A sleep that was not killed would hold this test until its own timeout fails it.
    const result = await runTool(bashTool, { command: "sleep 1000", timeout_ms: 300 }, sessionContext(dir.path, shell));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("[Timed out after 0.3 s; the command and everything it started were killed.]");
    expect(result.data).toMatchObject({ timedOut: true, exitCode: null });
  });

  it("on cancel stops the command and everything it started at once, and leaves the session usable, its directory unchanged", async () => {
    await using dir = await tempDir();
    await fs.mkdir(path.join(dir.path, "sub"));
    await using shell = await createSessionShell({ cwd: dir.path });
    const controller = new AbortController();
    const command = "cd sub; sleep 1000 & echo $! > ../bg.pid; echo $$ > ../started; sleep 1000";
    const running = runTool(bashTool, { command }, sessionContext(dir.path, shell, controller.signal));
    const pid = Number(await until(path.join(dir.path, "started")));
    const background = Number(await until(path.join(dir.path, "bg.pid")));
    controller.abort();
    const result = await running;
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("Cancelled by the user");
    await gone(pid);
    await gone(background);
    expect(shell.cwd()).toBe(dir.path);
    const next = await runTool(bashTool, { command: "pwd" }, sessionContext(dir.path, shell));
    expect(next.llmContent).toBe(dir.path);
  });

  it("runs concurrent calls one at a time, in call order", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    const ctx = sessionContext(dir.path, shell);
    const [first, second] = await Promise.all([
      runTool(bashTool, { command: "mkdir -p d && cd d && touch marker" }, ctx),
      runTool(bashTool, { command: "ls" }, ctx),
    ]);
    expect(first.isError).toBe(false);
    expect(second.llmContent).toBe("marker");
  });

  it("on dispose stops the running command; a queued command cancelled meanwhile never starts", async () => {
    await using dir = await tempDir();
    const shell = await createSessionShell({ cwd: dir.path });
    const first = shell.run("echo $$ > started; sleep 1000", { timeoutMs: 600_000 });
    const controller = new AbortController();
    const second = shell.run("touch second-ran", { timeoutMs: 600_000, signal: controller.signal });
    const pid = Number(await until(path.join(dir.path, "started")));
    controller.abort();
    await shell.dispose();
    expect(await first).toMatchObject({ exitCode: null, signal: "SIGKILL" });
    expect(await second).toMatchObject({ aborted: true, exitCode: null });
    await gone(pid);
    expect(existsSync(path.join(dir.path, "second-ran"))).toBe(false);
  });

  it("without a session shell, runs one command in the working directory", async () => {
    await using dir = await tempDir();
    const result = await runTool(bashTool, { command: "pwd" }, toolContext(dir.path));
    expect(result.llmContent).toBe(dir.path);
  });

  it("returns when the shell is done even if a background job still holds its output", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    const result = await runTool(bashTool, { command: "sleep 1000 & echo $! > bg.pid; echo started" }, sessionContext(dir.path, shell));
    expect(result).toMatchObject({ isError: false, llmContent: "started" });
    const pid = Number(await until(path.join(dir.path, "bg.pid")));
    process.kill(pid, 0);
    await shell.dispose();
    await gone(pid);
  });

  it("stops background jobs when the session's shell is disposed", async () => {
    await using dir = await tempDir();
    const shell = await createSessionShell({ cwd: dir.path });
    const result = await shell.run("sleep 1000 > /dev/null 2>&1 & echo $!", { timeoutMs: 60_000 });
    const pid = Number(result.output.trim());
    process.kill(pid, 0);
    await shell.dispose();
    await gone(pid);
  });
});

/** git run as a person would, in `dir`, with no settings of this machine's: its own identity, no hooks or config from outside. */
function gitEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
}

describe.runIf(posix && hasProgram("git"))("Bash: a git work-tree rewrite keeps wren's own settings as they were", () => {
  const SETTINGS = '[permissions]\nallow = ["Bash(git pull *)"]\n';

  /**
   * A project on branch main whose `.wren/settings.toml` allows little, and a branch `theirs`
   * (made with git alone, as a model could) that widens it, adds a file beside it and changes the
   * project's code: what `git merge theirs` brings.
   */
  async function project(dir: string, home: string): Promise<void> {
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: dir, env: gitEnv(home), encoding: "utf8" });
    git("init", "-q", "-b", "main");
    await fs.mkdir(path.join(dir, ".wren"));
    await fs.writeFile(path.join(dir, ".wren", "settings.toml"), SETTINGS);
    await fs.writeFile(path.join(dir, "a.txt"), "one\n");
    git("add", "-A");
    git("commit", "-qm", "start");
    git("checkout", "-qb", "theirs");
    await fs.writeFile(path.join(dir, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash"]\n');
    await fs.writeFile(path.join(dir, ".wren", "more.toml"), "x = 1\n");
    await fs.writeFile(path.join(dir, "a.txt"), "two\n");
    git("add", "-A");
    git("commit", "-qm", "theirs");
    git("checkout", "-q", "main");
  }

  /** How the agent runs the call: decided under the rules, then run with the decision's guard. */
  async function decided(command: string, root: string, rules: PermissionRule[]): Promise<ReturnType<typeof decide>> {
    using commands = await createCommandAnalyzer();
    return decide({ tool: "Bash", effect: "execute", command, cwd: root }, { rules, mode: "default", projectRoot: root, interactive: false, commands });
  }

  it("git merge runs under a rule with no one to ask; the settings it changed are put back, the rest of the merge stays, and the result says so", async () => {
    await using dir = await tempDir();
    await using home = await tempDir("wren-home-");
    await project(dir.path, home.path);
    const decision = await decided("git merge theirs", dir.path, [{ action: "allow", pattern: "Bash(git merge *)", scope: "flag" }]);
    expect(decision).toMatchObject({ action: "allow", guard: [path.join(dir.path, ".wren")] });

    await using shell = await createSessionShell({ cwd: dir.path, env: gitEnv(home.path) });
    const result = await runTool(bashTool, { command: "git merge theirs" }, { ...sessionContext(dir.path, shell), guard: decision.guard ?? [] });

    expect(await fs.readFile(path.join(dir.path, ".wren", "settings.toml"), "utf8")).toBe(SETTINGS);
    expect(existsSync(path.join(dir.path, ".wren", "more.toml"))).toBe(false);
    // The rest of the merge landed: the code, and the branch moved.
    expect(await fs.readFile(path.join(dir.path, "a.txt"), "utf8")).toBe("two\n");
    const head = execFileSync("git", ["rev-parse", "HEAD", "theirs"], { cwd: dir.path, env: gitEnv(home.path), encoding: "utf8" }).split("\n");
    expect(head[0]).toBe(head[1]);
    expect(result.isError).toBe(false);
    expect(result.llmContent).toMatch(/tried to change wren's own settings \(\.wren\/more\.toml, \.wren\/settings\.toml\).*put them back as they were/);
    expect(result.notice).toMatch(/put them back as they were/);
    expect(result.data).toMatchObject({ restored: [path.join(dir.path, ".wren", "more.toml"), path.join(dir.path, ".wren", "settings.toml")] });
  });

  it("puts wren's folder back when the command made it a link, and says nothing when nothing there changed", async () => {
    await using dir = await tempDir();
    await using home = await tempDir("wren-home-");
    await project(dir.path, home.path);
    await using shell = await createSessionShell({ cwd: dir.path, env: gitEnv(home.path) });
    const ctx = { ...sessionContext(dir.path, shell), guard: [path.join(dir.path, ".wren")] };
    const quiet = await runTool(bashTool, { command: "git log --oneline -1 > /dev/null && echo ok" }, ctx);
    expect(quiet).toMatchObject({ isError: false, llmContent: "ok" });
    expect(quiet.notice).toBeUndefined();

    const linked = await runTool(bashTool, { command: "mkdir elsewhere && mv .wren/settings.toml elsewhere/ && rm -r .wren && ln -s elsewhere .wren && echo done" }, ctx);
    expect(linked.llmContent).toMatch(/^done\n\[The command tried to change wren's own settings \(\.wren\)/);
    expect((await fs.lstat(path.join(dir.path, ".wren"))).isDirectory()).toBe(true);
    expect(await fs.readFile(path.join(dir.path, ".wren", "settings.toml"), "utf8")).toBe(SETTINGS);
  });

  it("does not run a guarded command after an earlier one exported GIT_WORK_TREE, and runs it once that is unset", async () => {
    await using dir = await tempDir();
    await using home = await tempDir("wren-home-");
    await project(dir.path, home.path);
    await using shell = await createSessionShell({ cwd: dir.path, env: gitEnv(home.path) });
    const plain = sessionContext(dir.path, shell);
    const ctx = { ...plain, guard: [path.join(dir.path, ".wren")] };
    await runTool(bashTool, { command: `export GIT_WORK_TREE=${home.path} CI=1` }, plain);
    const refused = await runTool(bashTool, { command: "git merge theirs" }, ctx);
    expect(refused.isError).toBe(true);
    expect(refused.llmContent).toMatch(/did not run: .*exported GIT_WORK_TREE, which may change which tree/);
    expect(await fs.readFile(path.join(dir.path, "a.txt"), "utf8")).toBe("one\n");
    await runTool(bashTool, { command: "unset GIT_WORK_TREE" }, plain);
    expect(await runTool(bashTool, { command: "git merge theirs" }, ctx)).toMatchObject({ isError: false, notice: expect.stringMatching(/put them back/) });
    expect(await fs.readFile(path.join(dir.path, "a.txt"), "utf8")).toBe("two\n");
  });

  it("does not run the command when wren's folder cannot be copied", async () => {
    await using dir = await tempDir();
    await fs.symlink(dir.path, path.join(dir.path, ".wren"));
    await using shell = await createSessionShell({ cwd: dir.path });
    const result = await runTool(bashTool, { command: "touch ran" }, { ...sessionContext(dir.path, shell), guard: [path.join(dir.path, ".wren")] });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toMatch(/did not run: .*could not copy them/);
    expect(existsSync(path.join(dir.path, "ran"))).toBe(false);
  });
});

describe.runIf(posix && hasProgram("git"))("Bash: what an earlier command exported counts when a later one is judged", () => {
  /** How the agent judges a call: the tool's own request, under the rules, interactive. */
  async function judged(command: string, ctx: ToolContext, rules: string[], mode: "default" | "bypass" = "default"): Promise<ReturnType<typeof decide>> {
    using commands = await createCommandAnalyzer();
    const all: PermissionRule[] = rules.map((pattern) => ({ action: "allow", pattern, scope: "project" }));
    return decide(bashTool.permission({ command }, ctx), { rules: all, mode, projectRoot: ctx.projectRoot, interactive: true, commands });
  }

  it("a GIT_CONFIG_GLOBAL an earlier command exported runs its fsmonitor at a later git status, so that asks under a rule allowing git until it is unset", async () => {
    await using dir = await tempDir();
    await using home = await tempDir("wren-home-");
    execFileSync("git", ["init", "-q"], { cwd: dir.path, env: gitEnv(home.path) });
    const marks = path.join(home.path, "ran.txt");
    await fs.writeFile(path.join(dir.path, "evil.sh"), `#!/bin/sh\necho evil >> '${marks}'\n`, { mode: 0o755 });
    await fs.writeFile(path.join(dir.path, "evil.cfg"), `[core]\n\tfsmonitor = ${path.join(dir.path, "evil.sh")}\n`);
    await using shell = await createSessionShell({ cwd: dir.path, env: gitEnv(home.path) });
    const ctx = sessionContext(dir.path, shell);
    const rules = ["Bash(git *)", "Bash(ls *)"];
    expect((await judged("git status", ctx, rules)).action).toBe("allow");
    await runTool(bashTool, { command: "export CI=1 && ls" }, ctx);
    expect((await judged("git status", ctx, rules)).action).toBe("allow");

    await runTool(bashTool, { command: "export GIT_CONFIG_GLOBAL=./evil.cfg" }, ctx);
    for (const command of ["git status", "ls -la"]) {
      const decision = await judged(command, ctx, rules);
      expect(decision.action, command).toBe("ask");
      expect(decision.reason).toMatch(/session shell's GIT_CONFIG_GLOBAL/);
      expect(decision.suggestions).toEqual([]);
    }
    expect((await judged("git status", ctx, rules, "bypass")).action).toBe("allow");
    // What the rule would have let run.
    await runTool(bashTool, { command: "git status --short" }, ctx);
    expect(await fs.readFile(marks, "utf8")).toContain("evil");

    await runTool(bashTool, { command: "unset GIT_CONFIG_GLOBAL" }, ctx);
    expect((await judged("git status", ctx, rules)).action).toBe("allow");
    // Unsetting one the session started with changes what runs too (GIT_CONFIG_NOSYSTEM lets /etc/gitconfig back in).
    await runTool(bashTool, { command: "unset GIT_CONFIG_NOSYSTEM" }, ctx);
    expect((await judged("git status", ctx, rules)).reason).toMatch(/GIT_CONFIG_NOSYSTEM/);
  });

  /** The context the agent runs an allowed call with: what its decision says it was judged with. */
  const asJudged = (ctx: ToolContext, decision: ReturnType<typeof decide>): ToolContext => (decision.judgedExports ? { ...ctx, judgedExports: decision.judgedExports } : ctx);

  it("a command judged before an earlier call in the same answer exported such a variable does not run", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    const ctx = sessionContext(dir.path, shell);
    const rules = ["Bash(touch *)", "Bash(export *)"];
    // All judged first, as the agent judges every call of an answer before it runs them.
    const exporting = await judged("export PATH=/nowhere:$PATH", ctx, ["Bash"]);
    const first = await judged("touch made", ctx, rules);
    const second = await judged("touch made", ctx, rules);
    for (const decision of [exporting, first, second]) expect(decision).toMatchObject({ action: "allow", judgedExports: {} });
    expect((await runTool(bashTool, { command: "touch made" }, asJudged(ctx, first))).isError).toBe(false);
    await fs.rm(path.join(dir.path, "made"));
    expect((await runTool(bashTool, { command: "export PATH=/nowhere:$PATH" }, asJudged(ctx, exporting))).isError).toBe(false);
    // The same command a second time in the answer, after the export.
    const refused = await runTool(bashTool, { command: "touch made" }, asJudged(ctx, second));
    expect(refused.isError).toBe(true);
    expect(refused.llmContent).toMatch(/did not run: .*exported or unset PATH after it was allowed/);
    expect(existsSync(path.join(dir.path, "made"))).toBe(false);
    // Judged again, it asks; a yes lets it run.
    const again = await judged("touch made", ctx, rules);
    expect(again.action).toBe("ask");
    expect(Object.keys(again.judgedExports ?? {})).toEqual(["PATH"]);
    expect((await runTool(bashTool, { command: "touch made" }, asJudged(ctx, again))).isError).toBe(false);
    expect(existsSync(path.join(dir.path, "made"))).toBe(true);
  });

  it("each call runs with the exports its own judgement saw, also where another call of the same text was judged with others", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    const ctx = sessionContext(dir.path, shell);
    const rules = ["Bash(touch *)"];
    const before = await judged("touch made", ctx, rules);
    expect((await runTool(bashTool, { command: "export PATH=/nowhere:$PATH" }, ctx)).isError).toBe(false);
    // The same text judged again, now with PATH changed (a yes to what asked).
    const after = await judged("touch made", ctx, rules);
    expect(after.action).toBe("ask");
    // The later judgement is not what the earlier call ran with: judged before the export, it does not run.
    const refused = await runTool(bashTool, { command: "touch made" }, asJudged(ctx, before));
    expect(refused.llmContent).toMatch(/did not run: .*exported or unset PATH after it was allowed/);
    expect(existsSync(path.join(dir.path, "made"))).toBe(false);
    // And the earlier judgement does not stop the later call, judged with PATH as it is.
    expect((await runTool(bashTool, { command: "touch made" }, asJudged(ctx, after))).isError).toBe(false);
    expect(existsSync(path.join(dir.path, "made"))).toBe(true);
  });
});

describe("Bash without its shell", () => {
  it.runIf(posix && !hasProgram("pwsh"))("returns an error result naming a shell that is not installed", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path, shell: "powershell" });
    const result = await runTool(bashTool, { command: "Get-Location" }, sessionContext(dir.path, shell));
    expect(result).toMatchObject({ isError: true, llmContent: "The shell 'pwsh' is not installed. Install it, or choose another shell for the session." });
  });
});

describe("Bash input", () => {
  it("refuses a timeout above the maximum as invalid input", async () => {
    await using dir = await tempDir();
    const result = await runTool(bashTool, { command: "true", timeout_ms: BASH_MAX_TIMEOUT_MS + 1 }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("Invalid input for Bash");
    expect(result.llmContent).toContain("timeout_ms");
    expect(existsSync(path.join(dir.path, "x"))).toBe(false);
    expect(bashTool.permission({ command: "npm test" }, toolContext(dir.path))).toEqual({ tool: "Bash", effect: "execute", command: "npm test", cwd: dir.path });
  });
});

describe("Bash on PowerShell, whose session shell carries no variable from one command to the next", () => {
  it("judges a command with no exports, so a person's yes to `$env:PATH = …` has no start to make, as a yes to bash's export does", async () => {
    await using dir = await tempDir();
    using commands = await createCommandAnalyzer();
    const judge = async (kind: "bash" | "powershell", command: string): Promise<{ request: ReturnType<typeof bashTool.permission>; decision: ReturnType<typeof decide> }> => {
      // Judging starts no shell: this runs where PowerShell is not installed too.
      await using shell = await createSessionShell({ cwd: dir.path, shell: kind });
      const request = bashTool.permission({ command }, sessionContext(dir.path, shell));
      return { request, decision: decide(request, { rules: [], mode: "default", projectRoot: dir.path, interactive: true, commands, shell: kind }) };
    };
    const bash = await judge("bash", "export PATH=/opt/bin:$PATH");
    expect(bash.request.exported).toEqual({});
    expect(bash.decision).toMatchObject({ action: "ask", sets: ["PATH"], judgedExports: {} });
    const powershell = await judge("powershell", "$env:PATH = 'C:\\tools;' + $env:PATH");
    expect(powershell.request).not.toHaveProperty("exported");
    expect(powershell.decision.action).toBe("ask");
    expect(powershell.decision).not.toHaveProperty("sets");
    expect(powershell.decision).not.toHaveProperty("judgedExports");
  });
});
