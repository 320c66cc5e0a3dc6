import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/router/decisions.js";
import { runCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { CHATML } from "../helpers/gguf-writer.js";
import { syntheticModel } from "../helpers/synthetic-models.js";

describe("wren -p --model auto: a local model's malformed tool call is repaired once, then the teacher takes the turn", () => {
  let root: string;
  let project: string;
  let model: string;
  let teacher: ScriptedTeacher;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-local-tool-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    writeFileSync(path.join(project, "notes.txt"), "wren notes\n");
    // Its every reply is this call, whose arguments are not JSON; the context holds the assistant's prompt and tools.
    model = await syntheticModel({ ...CHATML, contextLength: 65536, reply: ["<tool_call>", '{"name": "Read", "arguments": {"file_path": }', "</tool_call>"] });
    teacher = await startScriptedTeacher([{ toolCalls: [{ name: "Read", arguments: { file_path: "notes.txt" } }] }, { text: "The notes say: wren notes." }]);
  });
  afterAll(async () => {
    await teacher?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("completes the turn through the same loop, each answer escalated with reason tool-call", async () => {
    const r = await runCli(["-p", "--model", "auto", "--output-format", "json", "What do the notes say?"], {
      cwd: project,
      env: {
        WREN_HOME: path.join(root, "home"),
        WREN_MODELS_DEFAULT: model,
        WREN_ENGINE_CONTEXT_SIZE: "32768",
        WREN_ROUTER_CLOUD: "allow",
        WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini",
        WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }),
        OPENAI_API_KEY: "sk-test",
      },
      timeoutMs: 240_000,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      result: string;
      stop_reason: string;
      tool_calls: Array<{ name: string; is_error: boolean }>;
      provenance: Array<{ turn: number; provider: string; reason: string }>;
    };
    expect(out).toMatchObject({ result: "The notes say: wren notes.", stop_reason: "done" });
    expect(out.tool_calls).toMatchObject([{ name: "Read", is_error: false }]);
    expect(out.provenance.map((p) => [p.provider, p.reason])).toEqual([
      ["openai", "tool-call"],
      ["openai", "tool-call"],
    ]);
    // The teacher saw the Read result: the tool ran in the loop between the two escalated answers.
    expect(JSON.stringify(teacher.requests[1]?.messages)).toContain("wren notes");
    expect(teacher.requests).toHaveLength(2);
    // Each turn: the local model was tried first and failed with tool-call, then the teacher answered.
    const log = readFileSync(path.join(root, "home", "state", "router-decisions.jsonl"), "utf8").trim().split("\n");
    const decisions = log.map((line) => JSON.parse(line) as Decision);
    expect(decisions).toHaveLength(2);
    for (const d of decisions) {
      expect(d).toMatchObject({ outcome: "ok", provider: "openai", reason: "tool-call" });
      expect(d.attempts.map((a) => [a.target.startsWith("local:"), a.outcome, a.detail])).toEqual([
        [true, "failed", "tool-call"],
        [false, "ok", undefined],
      ]);
    }
    // Four local generations over the assistant's long prompt: room for a loaded 2-core CI machine.
  }, 240_000);
});
