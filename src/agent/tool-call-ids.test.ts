import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Message, StreamPart, ToolCallPart, ToolResultPart } from "../protocol/index.js";
import type { Tool } from "../tools/tool.js";
import { ScriptedModel, textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { Agent } from "./agent.js";
import type { AgentEvent, RunOutcome } from "./events.js";
import { Session } from "./session.js";

const usage = { inputTokens: 10, outputTokens: 4, totalTokens: 14 };

/** An answer whose calls carry exactly the ids and raw argument text scripted (as a provider might stream them). */
function rawCalls(calls: Array<{ id: string; name: string; input: string }>): StreamPart[] {
  return [
    { type: "stream-start", provider: "scripted", modelId: "m" },
    ...calls.map((c): StreamPart => ({ type: "tool-call", toolCallId: c.id, toolName: c.name, input: c.input })),
    { type: "finish", finishReason: "tool-calls", usage },
  ];
}

const read: Tool<{ path: string }> = {
  name: "Read",
  description: "Read a file",
  parameters: z.object({ path: z.string() }),
  readOnly: true,
  permission: (input) => ({ tool: "Read", effect: "read", paths: [input.path] }),
  execute: async (input) => ({ llmContent: `contents of ${input.path}`, display: "", isError: false }),
};

async function drain(run: AsyncGenerator<AgentEvent, RunOutcome>): Promise<RunOutcome> {
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

/**
 * What every provider accepts: each call id is non-empty, in the characters Anthropic allows, used
 * once in the whole conversation, its input an object, and answered by exactly one result in the
 * next message, in the order asked.
 */
function expectValidConversation(messages: readonly Message[]): void {
  const seen = new Set<string>();
  messages.forEach((m, i) => {
    if (m.role !== "assistant") return;
    const calls = m.content.filter((p): p is ToolCallPart => p.type === "tool-call");
    if (calls.length === 0) return;
    for (const c of calls) {
      expect(c.toolCallId).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(seen.has(c.toolCallId), `id ${c.toolCallId} used twice`).toBe(false);
      seen.add(c.toolCallId);
      expect(typeof c.input === "object" && c.input !== null && !Array.isArray(c.input), `input of ${c.toolCallId} is an object`).toBe(true);
    }
    const next = messages[i + 1];
    expect(next?.role).toBe("tool");
    const results = (next!.content as ToolResultPart[]).map((r) => r.toolCallId);
    expect(results).toEqual(calls.map((c) => c.toolCallId));
  });
}

describe("tool call ids and arguments the model gets wrong", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-ids-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (scripts: StreamPart[][]) => {
    const model = new ScriptedModel("scripted", "m", scripts);
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:m", mode: "default", system: "You are a test.", tools: ["Read"] });
    const agent = new Agent(session, { model, tools: [read], permissions: { decide: () => ({ action: "allow", reason: "test" }) } });
    return { model, session, agent };
  };

  it("an id reused across turns (Ollama's call_0 every answer) or within one answer, or empty, still pairs each call with its own result", async () => {
    const { model, session, agent } = open([
      rawCalls([{ id: "call_0", name: "Read", input: '{"path":"a"}' }]),
      rawCalls([
        { id: "call_0", name: "Read", input: '{"path":"b"}' },
        { id: "dup", name: "Read", input: '{"path":"c"}' },
        { id: "dup", name: "Read", input: '{"path":"d"}' },
        { id: "", name: "Read", input: '{"path":"e"}' },
        { id: "has space/and.dots", name: "Read", input: '{"path":"f"}' },
      ]),
      textAnswer("done"),
    ]);
    const outcome = await drain(agent.run("read them"));
    session[Symbol.dispose]();
    expect(outcome.reason).toBe("done");
    const sent = model.requests[2]!.messages.slice(1);
    expectValidConversation(sent);
    // Each result still answers the call that asked for it.
    const calls = sent.flatMap((m) => (m.role === "assistant" ? m.content.filter((p): p is ToolCallPart => p.type === "tool-call") : []));
    const results = sent.flatMap((m) => (m.role === "tool" ? m.content : []));
    expect(results.map((r) => r.output)).toEqual(calls.map((c) => `contents of ${(c.input as { path: string }).path}`));
    expect(results.map((r) => r.output)).toEqual(["a", "b", "c", "d", "e", "f"].map((p) => `contents of ${p}`));
    // The ids the events and records carry are the ones the conversation carries.
    expect(outcome.toolCalls.map((c) => c.id)).toEqual(calls.map((c) => c.toolCallId));
    // Ids that were fine are kept.
    expect(calls[0]!.toolCallId).toBe("call_0");
    expect(calls[2]!.toolCallId).toBe("dup");
  });

  it("arguments that are not a JSON object get an error result, and the conversation sent next carries an object input", async () => {
    const { model, session, agent } = open([
      rawCalls([
        { id: "c1", name: "Read", input: '{"path": "a"' },
        { id: "c2", name: "Read", input: "[1,2]" },
        { id: "c3", name: "Read", input: "null" },
        { id: "c4", name: "Read", input: '"a"' },
      ]),
      textAnswer("sorry"),
    ]);
    const outcome = await drain(agent.run("read"));
    session[Symbol.dispose]();
    expect(outcome.reason).toBe("done");
    const sent = model.requests[1]!.messages.slice(1);
    expectValidConversation(sent);
    const results = sent.flatMap((m) => (m.role === "tool" ? m.content : []));
    expect(results.every((r) => r.isError)).toBe(true);
    expect(results[0]!.output).toMatch(/not valid JSON: \{"path": "a"/);
    // The record keeps what the model sent.
    expect(outcome.toolCalls[0]!.input).toBe('{"path": "a"');
  });

  it("a resumed transcript from an older version, with call_0 in every answer, is sent with unique ids, each result still with its call", async () => {
    const old = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:m", mode: "default", system: "You are a test.", tools: ["Read"] });
    const call = (id: string, p: string): ToolCallPart => ({ type: "tool-call", toolCallId: id, toolName: "Read", input: { path: p } });
    const result = (id: string, p: string): ToolResultPart => ({ type: "tool-result", toolCallId: id, toolName: "Read", output: `contents of ${p}` });
    // As older versions recorded Ollama's answers: ids numbered from call_0 in each answer, and one repeated within an answer.
    old.push({ role: "user", content: [{ type: "text", text: "read" }] });
    old.push({ role: "assistant", content: [call("call_0", "a")] });
    old.push({ role: "tool", content: [result("call_0", "a")] });
    old.push({ role: "assistant", content: [call("call_0", "b"), call("call_1", "c"), call("call_1", "d")] });
    old.push({ role: "tool", content: [result("call_0", "b"), result("call_1", "c"), result("call_1", "d")] });
    old.push({ role: "assistant", content: [{ type: "text", text: "read them" }] });
    const id = old.id;
    old[Symbol.dispose]();

    const session = Session.open(dir, id);
    const model = new ScriptedModel("scripted", "m", [textAnswer("done")]);
    const agent = new Agent(session, { model, tools: [read], permissions: { decide: () => ({ action: "allow", reason: "test" }) } });
    const outcome = await drain(agent.run("again"));
    session[Symbol.dispose]();
    expect(outcome.reason).toBe("done");
    const sent = model.requests[0]!.messages.slice(1);
    expectValidConversation(sent);
    const calls = sent.flatMap((m) => (m.role === "assistant" ? m.content.filter((p): p is ToolCallPart => p.type === "tool-call") : []));
    const results = sent.flatMap((m) => (m.role === "tool" ? m.content : []));
    expect(results.map((r) => r.output)).toEqual(calls.map((c) => `contents of ${(c.input as { path: string }).path}`));
    expect(calls.map((c) => (c.input as { path: string }).path)).toEqual(["a", "b", "c", "d"]);
    // The first use of an id keeps it.
    expect(calls[0]!.toolCallId).toBe("call_0");
    expect(calls[2]!.toolCallId).toBe("call_1");
  });
});
