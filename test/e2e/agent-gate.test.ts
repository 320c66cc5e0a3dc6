import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

interface ResultJson {
  result: string;
  stop_reason: string;
  turns: number;
  tool_calls: Array<{ name: string; decision: "allow" | "deny"; reason: string; is_error: boolean }>;
}

const toolOutputs = (body: ChatBody): string[] => body.messages.filter((m) => m.role === "tool").map((m) => String(m.content));

describe("wren -p: the agent's permission gate and [agent] settings", () => {
  let root: string;
  let home: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-gate-"));
    home = path.join(root, "home");
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh project (a git root) with these files. */
  const projectWith = (name: string, files: Record<string, string>): string => {
    const project = path.join(root, name);
    mkdirSync(path.join(project, ".git"), { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      writeFileSync(path.join(project, file), text);
    }
    return project;
  };
  /** `wren -p` in `project` against a scripted teacher; `userHome` holds the user's config.toml. */
  const print = async (project: string, script: TeacherScript, args: string[], userHome = home) => {
    const t = await startScriptedTeacher(script);
    teachers.push(t);
    const env = teacherEnv(userHome, t.url);
    const r = await runCli(["-p", "--model", "openai:gpt-4o-mini", "--output-format", "json", ...args], { env, cwd: project });
    return { t, code: r.code, stderr: r.stderr, out: JSON.parse(r.stdout) as ResultJson };
  };

  it("judges a file behind a symbolic link where it really is: a link in the project to a key outside is not read freely", async () => {
    const keys = path.join(root, "dot-ssh");
    mkdirSync(keys);
    writeFileSync(path.join(keys, "id_ed25519"), "PRIVATE KEY MATERIAL");
    const project = projectWith("linked", { "README.md": "readme text" });
    // A junction on Windows: a plain user may not create directory symlinks there.
    symlinkSync(keys, path.join(project, "keys"), "junction");
    const { t, code, out } = await print(project, [
      { toolCalls: [{ name: "Read", arguments: { file_path: "README.md" } }] },
      { toolCalls: [{ name: "Read", arguments: { file_path: "keys/id_ed25519" } }] },
      { text: "Done." },
    ], ["Read the files"]);
    expect(code).toBe(0);
    expect(out.tool_calls.map((c) => [c.name, c.decision])).toEqual([
      ["Read", "allow"],
      ["Read", "deny"],
    ]);
    expect(toolOutputs(t.requests[1]!).join("\n")).toContain("readme text");
    expect(toolOutputs(t.requests[2]!).join("\n")).not.toContain("PRIVATE KEY MATERIAL");
  });

  it("lets Grep leave out the files a deny rule names", async () => {
    const project = projectWith("grep", { "notes.txt": "token: public\n", "secret.txt": "token: hunter2\n" });
    const { t, code, out } = await print(project, [{ toolCalls: [{ name: "Grep", arguments: { pattern: "token", output_mode: "content" } }] }, { text: "Done." }], [
      "--deny",
      "Read(**/secret.txt)",
      "Find the tokens",
    ]);
    expect(code).toBe(0);
    expect(out.tool_calls.map((c) => [c.name, c.decision, c.is_error])).toEqual([["Grep", "allow", false]]);
    const seen = toolOutputs(t.requests[1]!).join("\n");
    expect(seen).toContain("token: public");
    expect(seen).not.toContain("hunter2");
  });

  it("takes the turn limit from [agent] in wren.toml", async () => {
    const project = projectWith("limited", { "wren.toml": "[agent]\nmaxTurns = 2\n", "a.txt": "a" });
    const { code, out } = await print(project, () => ({ toolCalls: [{ name: "Read", arguments: { file_path: "a.txt" } }] }), ["Keep reading"]);
    expect(out.stop_reason).toBe("max-turns");
    expect(out.turns).toBe(2);
    expect(code).toBe(1);
  });

  it("starts a new session in the permission mode [agent] of the user's config names", async () => {
    const own = path.join(root, "home-accept-edits");
    mkdirSync(own, { recursive: true });
    writeFileSync(path.join(own, "config.toml"), '[agent]\npermissionMode = "accept-edits"\n');
    const project = projectWith("planned", {});
    const { code, out } = await print(project, [{ toolCalls: [{ name: "Write", arguments: { file_path: "new.txt", content: "made" } }] }, { text: "Done." }], ["Make a file"], own);
    expect(code).toBe(0);
    expect(out.tool_calls.map((c) => [c.name, c.decision, c.is_error])).toEqual([["Write", "allow", false]]);
  });

  it("refuses a project's wren.toml that would start sessions in a looser mode, before any request", async () => {
    const project = projectWith("loosened", { "wren.toml": '[agent]\npermissionMode = "accept-edits"\n' });
    const t = await startScriptedTeacher([{ text: "Done." }]);
    teachers.push(t);
    const r = await runCli(["-p", "--model", "openai:gpt-4o-mini", "Make a file"], { env: teacherEnv(home, t.url), cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("agent.permissionMode: a project's wren.toml may not set permissionMode");
    expect(t.requests).toHaveLength(0);
  });

  it("weighs a rating by [agent.feedback] in wren.toml", async () => {
    const project = projectWith("rated", { "wren.toml": "[agent.feedback]\ngood = 4\n" });
    const { t, code } = await print(project, [{ text: "An answer worth keeping." }], ["Answer well"]);
    expect(code).toBe(0);
    const sessionId = (JSON.parse((await runCli(["sessions", "list", "--json"], { env: { WREN_HOME: home }, cwd: project })).stdout) as Array<{ id: string; cwd: string }>).find((s) => s.cwd === project)!.id;
    const rated = await runCli(["sessions", "rate", sessionId, "good"], { env: { WREN_HOME: home }, cwd: project });
    expect(rated.code).toBe(0);
    expect(rated.stderr).toContain("(weight 4)");
    expect(t.requests).toHaveLength(1);
  });
});
