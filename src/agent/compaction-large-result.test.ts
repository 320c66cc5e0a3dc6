import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { messageText, type ChatRequest, type LanguageModel, type StreamPart, type ToolResultPart } from "../protocol/index.js";
import { textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { toolCallsAnswer } from "../../test/helpers/fake-upstreams/tool-script.js";
import type { Tool } from "../tools/tool.js";
import { Agent } from "./agent.js";
import type { AgentEvent, RunOutcome } from "./events.js";
import { Session } from "./session.js";

/** Tokens the stand-in model takes, at 4 characters each. */
const WINDOW = 2000;

/** A model with a small window: a longer request fails as a real one does; its first answer reads a file. */
class SmallWindow implements LanguageModel {
  readonly provider = "scripted";
  readonly modelId = "m";
  readonly requests: ChatRequest[] = [];
  private answered = 0;

  async *doStream(request: ChatRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    const tokens = Math.ceil(JSON.stringify(request.messages).length / 4);
    if (tokens > WINDOW) {
      yield { type: "error", error: { code: "context_overflow", message: `The prompt is ${tokens} tokens, over the window of ${WINDOW}.` } };
      return;
    }
    const parts = request.toolChoice === "none" ? textAnswer("They read the big file.") : this.answered++ === 0 ? toolCallsAnswer([{ id: "r1", name: "Read", input: {} }]) : textAnswer("ok");
    for (const p of parts) yield p.type === "finish" ? { ...p, usage: { inputTokens: tokens, outputTokens: 5, totalTokens: tokens + 5 } } : p;
  }

  doGenerate(): never {
    throw new Error("not used");
  }
}

/** A read of a file far larger than the window (under Read's own cap of 100,000 characters). */
const bigRead: Tool<Record<string, never>> = {
  name: "Read",
  description: "Read the big file",
  parameters: z.object({}),
  readOnly: true,
  permission: () => ({ tool: "Read", effect: "read" }),
  execute: async () => ({ llmContent: "x".repeat(40_000), display: "", isError: false }),
};

async function drain(run: AsyncGenerator<AgentEvent, RunOutcome>): Promise<RunOutcome> {
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "wren-window-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("a tool result larger than the model's window is cut when the conversation is compacted, so the session goes on instead of overflowing every turn", async () => {
  const model = new SmallWindow();
  const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:m", mode: "default", system: "You are a test.", tools: ["Read"] });
  const agent = new Agent(session, { model, tools: [bigRead], permissions: { decide: () => ({ action: "allow", reason: "test" }) }, compaction: { contextWindow: WINDOW } });
  const outcomes: string[] = [];
  for (const prompt of ["read the big file", "go on"]) {
    const outcome = await drain(agent.run(prompt));
    outcomes.push(`${outcome.reason}${outcome.error ? `: ${outcome.error.message}` : ""}`);
  }
  session[Symbol.dispose]();
  expect(outcomes).toEqual(["done", "done"]);

  // The turn after the read was sent the call and its result, cut to a quarter of the window with a note.
  const after = model.requests.find((r) => r.toolChoice !== "none" && r.messages.some((m) => m.role === "tool"))!;
  const results = after.messages.flatMap((m): ToolResultPart[] => (m.role === "tool" ? m.content : []));
  expect(results.map((r) => r.toolCallId)).toEqual(["r1"]);
  expect(results[0]!.output).toMatch(/^x{2000}\n\[Result cut when the conversation was compacted: 40000 characters, the first 2000 kept/);
  expect(after.messages[0]).toEqual({ role: "system", content: "You are a test." });
});

it("a result too large that comes after a compaction, with only the summary older than the kept turns, is cut too", async () => {
  const model = new SmallWindow();
  const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:m", mode: "default", system: "You are a test.", tools: ["Read"] });
  session.replaceMessages("Earlier work.", [{ role: "user", content: [{ type: "text", text: "Summary of the earlier conversation (older turns were compacted):\nEarlier work.\n\nread the big file" }] }]);
  const agent = new Agent(session, { model, tools: [bigRead], permissions: { decide: () => ({ action: "allow", reason: "test" }) }, compaction: { contextWindow: WINDOW } });
  const outcome = await drain(agent.run("and then?"));
  session[Symbol.dispose]();
  expect(outcome.error?.message).toBeUndefined();
  expect(outcome.reason).toBe("done");
  const last = model.requests.at(-1)!;
  const results = last.messages.flatMap((m): ToolResultPart[] => (m.role === "tool" ? m.content : []));
  expect(results).toHaveLength(1);
  expect(results[0]!.output).toMatch(/\[Result cut when the conversation was compacted: 40000 characters/);
  expect(messageText(last.messages[1]!)).toMatch(/^Summary of the earlier conversation.*\nEarlier work\./s);
});
