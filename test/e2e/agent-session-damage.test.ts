import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

/** The user messages a request carried, in order. */
const prompts = (t: ScriptedTeacher, index: number): string[] =>
  t.requests[index]!.messages.filter((m) => m.role === "user").map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));

describe("wren -p --continue with a damaged or unusable session", () => {
  let root: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-session-"));
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A home and project of their own, with one finished session whose transcript is returned. */
  const setUp = async (name: string) => {
    const home = path.join(root, name, "home");
    const project = path.join(root, name, "project");
    mkdirSync(project, { recursive: true });
    const run = async (script: TeacherScript, args: string[]) => {
      const t = await startScriptedTeacher(script);
      teachers.push(t);
      return { t, ...(await runCli(["-p", "--model", "openai:gpt-4o-mini", ...args], { env: teacherEnv(home, t.url), cwd: project })) };
    };
    expect((await run([{ text: "First answer." }], ["first question"])).code).toBe(0);
    const dir = path.join(home, "state", "sessions");
    const file = path.join(dir, readdirSync(dir).find((n) => n.endsWith(".jsonl"))!);
    return { home, project, dir, file, run };
  };

  it("a last line cut short (a crash while writing) is dropped; the rest of the session continues", async () => {
    const { file, run } = await setUp("torn");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, `${text}{"type":"message","at":"2026-01-01T00:00:00.000Z","message":{"role":"user","content":"half`);
    const { t, code, stdout } = await run([{ text: "Second answer." }], ["--continue", "second question"]);
    expect(code).toBe(0);
    expect(stdout).toBe("Second answer.\n");
    expect(prompts(t, 0)).toEqual(["first question", "second question"]);
    expect(readFileSync(file, "utf8")).not.toContain('"half');
  });

  it("a torn record a failed write ended with ' [torn]': --continue goes on without it and says so on stderr", async () => {
    const { file, run } = await setUp("marked");
    const lines = readFileSync(file, "utf8").split("\n");
    writeFileSync(file, [lines[0], '{"type":"message","at":"2026-01-01T00:00:00.000Z","message":{"role":"user","content":"ha [torn]', ...lines.slice(1)].join("\n"));
    const { t, code, stdout, stderr } = await run([{ text: "Second answer." }], ["--continue", "second question"]);
    expect(code).toBe(0);
    expect(stdout).toBe("Second answer.\n");
    expect(prompts(t, 0)).toEqual(["first question", "second question"]);
    const id = path.basename(file, ".jsonl");
    expect(stderr).toContain(`wren: session ${id}: one record of its transcript was damaged (a write cut short by a full disk or the file-size limit) and is left out of the conversation; wren sessions show ${id} marks where.\n`);
  });

  it("a line of invalid JSON in the middle: --continue refuses, naming the line and the ways on, and leaves the file as it was", async () => {
    const { file, run } = await setUp("middle");
    const lines = readFileSync(file, "utf8").split("\n");
    const damaged = [lines[0], "{not json", ...lines.slice(1)].join("\n");
    writeFileSync(file, damaged);
    const { t, code, stderr } = await run([{ text: "never asked for" }], ["--continue", "again"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^wren: The last session in .*, [0-9a-f-]+, is damaged and cannot be continued: Line 2 of the session transcript .* is not a valid record\.\n {2}Continue an older session with --resume ID/);
    expect(t.requests).toHaveLength(0);
    expect(readFileSync(file, "utf8")).toBe(damaged);
  });

  it("a session a newer wren wrote: --continue asks for an update, not the session's removal", async () => {
    const { file, run } = await setUp("newer");
    writeFileSync(file, `${readFileSync(file, "utf8")}{"type":"bookmark","at":"2026-01-01T00:00:00.000Z"}\n`);
    const { code, stderr } = await run([{ text: "never asked for" }], ["--continue", "again"]);
    expect(code).toBe(2);
    expect(stderr).toContain("a 'bookmark' record, which this version of wren does not know: a newer wren wrote it.");
    expect(stderr).toContain("Update wren to continue it");
    expect(stderr).not.toContain("sessions rm");
  });

  it("an empty transcript (a crash before its first line was written) is no session to continue, and a new run starts", async () => {
    const { file, run } = await setUp("empty");
    writeFileSync(file, "");
    const continued = await run([{ text: "never asked for" }], ["--continue", "again"]);
    expect(continued.code).toBe(1);
    expect(continued.stderr).toMatch(/^wren: There is no session to continue in /);
    const fresh = await run([{ text: "Fresh answer." }], ["again"]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toBe("Fresh answer.\n");
  });

  it("two --continue runs at once: the second is refused at once, naming the run that holds the session", async () => {
    const { home, project, run } = await setUp("twice");
    const hanging = await startScriptedTeacher([{ hang: true }]);
    teachers.push(hanging);
    const first = spawnCli(["-p", "--model", "openai:gpt-4o-mini", "--continue", "second"], { env: teacherEnv(home, hanging.url), cwd: project });
    try {
      first.stdin?.end();
      await hanging.waitForRequests(1);
      const { t, code, stderr } = await run([{ text: "never asked for" }], ["--continue", "third"]);
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`^wren: Session [0-9a-f-]+ is in use by another wren run \\(pid ${first.pid}\\); wait for it or start a new session\\.`));
      expect(t.requests).toHaveLength(0);
    } finally {
      first.kill("SIGKILL");
    }
  });

  it("a sessions folder wren cannot use: the run says which folder and what is wrong, with what to do", async () => {
    const { dir, run } = await setUp("folder");
    rmSync(dir, { recursive: true });
    writeFileSync(dir, "");
    for (const args of [["hello"], ["--continue", "hello"]]) {
      const { t, code, stderr } = await run([{ text: "never asked for" }], args);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/^wren: Cannot (read|write to) the sessions folder .*: a file stands where a folder of its path should be\.\n {2}.*WREN_HOME/);
      expect(t.requests).toHaveLength(0);
    }
  });
});
