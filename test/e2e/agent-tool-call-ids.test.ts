import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

/** Every tool call id in a request, once each, each answered by the next tool messages in order. */
function expectPaired(body: ChatBody): void {
  const ids: string[] = [];
  body.messages.forEach((m, i) => {
    const calls = m.tool_calls ?? [];
    if (calls.length === 0) return;
    ids.push(...calls.map((c) => c.id));
    const answers = body.messages.slice(i + 1, i + 1 + calls.length).map((r) => [r.role, r.tool_call_id]);
    expect(answers).toEqual(calls.map((c) => ["tool", c.id]));
  });
  expect(new Set(ids).size).toBe(ids.length);
}

/**
 * The conversation goes back to whichever model answers next: OpenAI and Anthropic refuse a call id
 * used twice (under `auto`, a teacher may take the turn after a local model numbered its calls).
 */
describe("wren -p: a model that reuses tool call ids", () => {
  let root: string;
  let home: string;
  let project: string;
  let teacher: ScriptedTeacher | undefined;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-ids-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    writeFileSync(path.join(project, "a.txt"), "alpha\n");
    writeFileSync(path.join(project, "b.txt"), "beta\n");
  });
  afterAll(async () => {
    await teacher?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("an id an earlier answer used (a server that numbers calls from call_0 in each answer): each call gets its own result under an id used once, and --continue sends the same", async () => {
    teacher = await startScriptedTeacher((_body, index) =>
      index === 0
        ? { toolCalls: [{ id: "call_0", name: "Read", arguments: { file_path: "a.txt" } }] }
        : index === 1
          ? {
              toolCalls: [
                { id: "call_0", name: "Read", arguments: { file_path: "b.txt" } },
                { id: "call_1", name: "Read", arguments: { file_path: "a.txt" } },
              ],
            }
          : { text: "read them" },
    );
    const env = teacherEnv(home, teacher.url);
    const r = await runCli(["-p", "--model", "openai:gpt-4o-mini", "--output-format", "json", "read a and b"], { env, cwd: project });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { stop_reason: string; tool_calls: Array<{ id: string }> };
    expect(out.stop_reason).toBe("done");
    expect(new Set(out.tool_calls.map((c) => c.id)).size).toBe(3);
    const third = teacher.requests[2]!;
    expectPaired(third);
    expect(third.messages.filter((m) => m.role === "tool").map((m) => String(m.content))).toEqual([
      expect.stringContaining("alpha"),
      expect.stringContaining("beta"),
      expect.stringContaining("alpha"),
    ]);

    const again = await runCli(["-p", "--model", "openai:gpt-4o-mini", "--continue", "--output-format", "json", "thanks"], { env, cwd: project });
    expect(again.code).toBe(0);
    expectPaired(teacher.requests.at(-1)!);
  });
});
