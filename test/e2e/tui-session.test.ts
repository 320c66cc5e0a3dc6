import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedTeacher, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { KEYS, startWrenPty, type PtySession } from "../helpers/pty-terminal.js";
import { teacherEnv } from "../helpers/teacher-env.js";

describe("wren's terminal UI against a scripted teacher", { timeout: 120_000 }, () => {
  let root: string;
  let home: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-tui-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    mkdirSync(path.join(project, "src"), { recursive: true });
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const open = async (script: TeacherScript, args: string[] = []): Promise<{ t: ScriptedTeacher; pty: PtySession }> => {
    const t = await startScriptedTeacher(script);
    teachers.push(t);
    const pty = startWrenPty(["--model", "openai:gpt-4o-mini", ...args], { cwd: project, env: teacherEnv(home, t.url) });
    await pty.waitFor("no turn yet");
    return { t, pty };
  };
  /** Types a prompt, waits until the prompt box shows it, and sends it. */
  const send = async (pty: PtySession, text: string): Promise<void> => {
    pty.type(text);
    await pty.waitFor(`> ${text}`, { visible: true });
    pty.type(KEYS.enter);
  };

  it("streams an answer, shows who answered in the status line, and quits with /quit", async () => {
    const { pty } = await open([{ text: "Hello from the scripted teacher." }]);
    await send(pty, "say hello");
    await pty.waitFor("● Hello from the scripted teacher.");
    await pty.waitFor("last: openai:gpt-4o-mini (direct)");
    await send(pty, "/quit");
    expect(await pty.exited).toBe(0);
  });
});
