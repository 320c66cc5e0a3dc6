import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

interface ResultJson {
  tool_calls: Array<{ name: string; decision: "allow" | "deny"; reason: string; is_error: boolean }>;
}

const toolOutputs = (body: ChatBody): string[] => body.messages.filter((m) => m.role === "tool").map((m) => String(m.content));
const hasGit = (process.env["PATH"] ?? "").split(path.delimiter).some((dir) => dir !== "" && existsSync(path.join(dir, "git")));
const SETTINGS = "[permissions]\nallow = []\n";

describe.runIf(process.platform !== "win32" && hasGit)("wren -p: a git command that rewrites the work tree, with wren's own settings guarded", () => {
  let root: string;
  let home: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-git-guard-"));
    home = path.join(root, "home");
    mkdirSync(home);
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A repository on main with wren settings, and a branch `theirs` that widens them and changes a.txt. */
  const repository = (name: string): string => {
    const project = path.join(root, name);
    mkdirSync(path.join(project, ".wren"), { recursive: true });
    const env = { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
    const git = (...args: string[]): void => void execFileSync("git", args, { cwd: project, env });
    git("init", "-q", "-b", "main");
    writeFileSync(path.join(project, ".wren", "settings.toml"), SETTINGS);
    writeFileSync(path.join(project, "a.txt"), "one\n");
    git("add", "-A");
    git("commit", "-qm", "start");
    git("checkout", "-qb", "theirs");
    writeFileSync(path.join(project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash"]\n');
    writeFileSync(path.join(project, "a.txt"), "two\n");
    git("add", "-A");
    git("commit", "-qm", "theirs");
    git("checkout", "-q", "main");
    return project;
  };

  const merge = async (project: string, command: string, format: "json" | "text") => {
    const t = await startScriptedTeacher([{ toolCalls: [{ name: "Bash", arguments: { command } }] }, { text: "Done." }]);
    teachers.push(t);
    const r = await runCli(["-p", "--model", "openai:gpt-4o-mini", "--output-format", format, "--allow", "Bash(git merge *)", "Merge theirs"], { env: { ...teacherEnv(home, t.url), HOME: home, GIT_CONFIG_NOSYSTEM: "1" }, cwd: project });
    return { t, code: r.code, stderr: r.stderr, stdout: r.stdout };
  };

  it("runs git merge under --allow with no one to ask, puts back the settings it changed and says so on stderr and to the model", async () => {
    const project = repository("merge");
    const { t, code, stderr, stdout } = await merge(project, "git merge theirs", "text");
    expect(code).toBe(0);
    expect(stdout).toContain("Done.");
    expect(readFileSync(path.join(project, ".wren", "settings.toml"), "utf8")).toBe(SETTINGS);
    expect(readFileSync(path.join(project, "a.txt"), "utf8")).toBe("two\n");
    expect(stderr).toMatch(/wren: Bash allowed: .*tried to change wren's own settings \(\.wren\/settings\.toml\).*put them back as they were/);
    expect(toolOutputs(t.requests[1]!).join("\n")).toMatch(/put them back as they were/);
  });

  it("refuses the same merge put in the background, with no one to ask", async () => {
    const project = repository("background");
    const { code, stdout } = await merge(project, "git merge theirs &", "json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as ResultJson;
    expect(out.tool_calls.map((c) => [c.name, c.decision])).toEqual([["Bash", "deny"]]);
    expect(out.tool_calls[0]?.reason).toMatch(/rewrites the work tree/);
    expect(readFileSync(path.join(project, "a.txt"), "utf8")).toBe("one\n");
  });
});
