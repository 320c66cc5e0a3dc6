import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedTeacher, type TeacherScript } from "../../test/helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../../test/helpers/teacher-env.js";
import { loadConfig } from "../config/index.js";
import type { AgentEvent } from "../agent/index.js";
import { openAgentRun } from "./agent.js";

describe("openAgentRun: compaction on a resumed session", () => {
  let root: string;
  let project: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-run-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    // Some 4,000 tokens: past 80% of the 4,096-token local window, far under a teacher's.
    writeFileSync(path.join(project, "notes.txt"), "The wren nests in hedges and sings loudly.\n".repeat(350));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function runOnce(script: TeacherScript, prompt: string, more: { continueLast?: boolean } = {}) {
    const teacher = await startScriptedTeacher(script);
    try {
      const env = teacherEnv(path.join(root, "home"), teacher.url);
      const { config } = await loadConfig({ env, cwd: project, home: root });
      await using run = await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, ...more });
      const events: AgentEvent[] = [];
      const gen = run.run(prompt);
      let next = await gen.next();
      while (!next.done) {
        events.push(next.value);
        next = await gen.next();
      }
      return { events, outcome: next.value, requests: teacher.requests, contextWindow: (p: Parameters<typeof run.contextWindow>[0]) => run.contextWindow(p) };
    } finally {
      await teacher.close();
    }
  }

  it("keeps the teacher's window from the first turn of a resumed run, instead of compacting on the local one", async () => {
    const first = await runOnce([{ toolCalls: [{ name: "Read", arguments: { file_path: "notes.txt" } }] }, { text: "Read the notes." }], "read notes");
    expect(first.outcome.reason).toBe("done");
    const second = await runOnce(() => ({ text: "Answer." }), "and?", { continueLast: true });
    expect(second.outcome.reason).toBe("done");
    expect(second.events.filter((e) => e.type === "compaction")).toEqual([]);
    // The whole conversation went to the teacher: system, the first run's four messages and the new prompt.
    expect(second.requests).toHaveLength(1);
    expect(second.requests[0]!.messages).toHaveLength(1 + 4 + 1);
    // `provider:model` of a teacher always answers there: its window counts whoever answered before.
    expect(second.contextWindow(undefined)).toBe(128_000);
    expect(second.contextWindow({ provider: "local", model: "m", reason: "direct" })).toBe(128_000);
  });

  it("a second run on a session in use fails at once, so two runs never interleave in one transcript", async () => {
    const teacher = await startScriptedTeacher(() => ({ text: "Answer." }));
    try {
      const env = teacherEnv(path.join(root, "home-busy"), teacher.url);
      const { config } = await loadConfig({ env, cwd: project, home: root });
      const open = (more: { continueLast?: boolean }) => openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, ...more });
      {
        await using first = await open({});
        await expect(open({ continueLast: true })).rejects.toThrow(`Session ${first.session.id} is in use by another wren run (pid ${process.pid}); wait for it or start a new session.`);
      }
      // Released with the run: the session goes on.
      await using next = await open({ continueLast: true });
      expect(next.session.header.cwd).toBe(project);
    } finally {
      await teacher.close();
    }
  });
});
