import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { PermissionDecision, PermissionMode, PermissionRequest } from "../permissions/types.js";
import { messageText, type Message, type StreamPart, type Usage } from "../protocol/index.js";
import type { Tool } from "../tools/tool.js";
import { ScriptedModel, textAnswer, type Script } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { toolCallsAnswer } from "../../test/helpers/fake-upstreams/tool-script.js";
import { Agent, type AgentOptions } from "./agent.js";
import type { AgentEvent, RunOutcome } from "./events.js";
import type { Interaction, PermissionPolicy } from "./permission-gate.js";
import { Session } from "./session.js";
import { readTranscript } from "./transcript.js";

/** A permission policy as small as a test needs: reads run, writes follow `writes`, plan mode refuses all but reads. */
function policy(writes: "allow" | "ask" | "deny"): PermissionPolicy & { asked: PermissionRequest[] } {
  const asked: PermissionRequest[] = [];
  return {
    asked,
    decide(request: PermissionRequest, mode: PermissionMode): PermissionDecision {
      if (request.effect === "read") return { action: "allow", reason: "reads run freely" };
      if (mode === "plan") return { action: "deny", reason: "plan mode is read-only" };
      if (writes === "ask") asked.push(request);
      return writes === "allow" ? { action: "allow", rule: { action: "allow", pattern: "Write", scope: "flag" }, reason: "allowed by rule Write" } : { action: writes, reason: "writes need consent" };
    },
  };
}

/** An in-memory file system the tools work on; `active` / `maxActive` show whether calls overlapped. */
function tools(files: Map<string, string>) {
  const state = { active: 0, maxActive: 0 };
  const track = async <T>(work: () => T): Promise<T> => {
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    // Two turns of the event loop: calls started together are all active before any ends.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    state.active--;
    return work();
  };
  const read: Tool<{ path: string }> = {
    name: "Read",
    description: "Read a file",
    parameters: z.object({ path: z.string() }),
    readOnly: true,
    permission: (input) => ({ tool: "Read", effect: "read", paths: [input.path] }),
    execute: (input) =>
      track(() => {
        const text = files.get(input.path);
        return text === undefined ? { llmContent: `No file ${input.path}`, display: "missing", isError: true } : { llmContent: text, display: text, isError: false };
      }),
  };
  const write: Tool<{ path: string; text: string }> = {
    name: "Write",
    description: "Write a file",
    parameters: z.object({ path: z.string(), text: z.string() }),
    readOnly: false,
    permission: (input) => ({ tool: "Write", effect: "write", paths: [input.path] }),
    execute: (input) =>
      track(() => {
        files.set(input.path, input.text);
        return { llmContent: `Wrote ${input.path}`, display: "written", isError: false };
      }),
  };
  const boom: Tool<Record<string, never>> = {
    name: "Boom",
    description: "Always throws",
    parameters: z.object({}),
    readOnly: true,
    permission: () => ({ tool: "Boom", effect: "read" }),
    execute: () => Promise.reject(new Error("disk on fire")),
  };
  const exitPlan: Tool<{ plan: string }> = {
    name: "ExitPlanMode",
    description: "Hand the plan to the user",
    parameters: z.object({ plan: z.string() }),
    readOnly: true,
    permission: () => ({ tool: "ExitPlanMode", effect: "read" }),
    execute: async (input) => ({ llmContent: input.plan, display: input.plan, isError: false }),
  };
  return { list: [read, write, boom, exitPlan] as Tool[], state };
}

async function drain(run: AsyncGenerator<AgentEvent, RunOutcome>): Promise<{ events: AgentEvent[]; outcome: RunOutcome }> {
  const events: AgentEvent[] = [];
  for (;;) {
    const next = await run.next();
    if (next.done) return { events, outcome: next.value };
    events.push(next.value);
  }
}

describe("the agent loop", () => {
  let dir: string;
  let files: Map<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-agent-"));
    files = new Map([["a.txt", "alpha"], ["b.txt", "beta"]]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (scripts: Script[], extra: Partial<AgentOptions> = {}, mode: PermissionMode = "default") => {
    const model = new ScriptedModel("scripted", "m", scripts);
    const t = tools(files);
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:m", mode, system: "You are a test.", tools: t.list.map((x) => x.name) });
    const agent = new Agent(session, { model, tools: t.list, permissions: policy("allow"), ...extra });
    return { model, session, agent, state: t.state };
  };

  it("runs the calls it asks for, sends the results back, and ends when the model answers without tools", async () => {
    const { model, session, agent } = open([
      toolCallsAnswer([{ id: "c1", name: "Read", input: { path: "a.txt" } }]),
      toolCallsAnswer([{ id: "c2", name: "Write", input: { path: "c.txt", text: "gamma" } }]),
      textAnswer("All done."),
    ]);
    const { events, outcome } = await drain(agent.run("copy things"));
    session[Symbol.dispose]();
    expect(outcome.reason).toBe("done");
    expect(outcome.result).toBe("All done.");
    expect(outcome.turns).toBe(3);
    expect(files.get("c.txt")).toBe("gamma");
    expect(outcome.toolCalls.map((c) => [c.name, c.decision, c.isError])).toEqual([["Read", "allow", false], ["Write", "allow", false]]);
    expect(outcome.toolCalls[1]!.rule).toBe("Write");
    // The second request carried the first call's result; every request had the same system prompt and tools.
    const second = model.requests[1]!.messages;
    expect(second.at(-1)).toEqual({ role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "Read", output: "alpha" }] });
    expect(new Set(model.requests.map((r) => JSON.stringify([r.messages[0], r.tools]))).size).toBe(1);
    expect(model.requests[0]!.tools!.map((t) => t.name)).toEqual(["Read", "Write", "Boom", "ExitPlanMode"]);
    expect(model.requests[0]!.tools![0]!.inputSchema).toMatchObject({ type: "object", properties: { path: { type: "string" } } });
    expect(events.filter((e) => e.type === "turn-end").map((e) => e.turn)).toEqual([1, 2, 3]);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 5)).toEqual(["turn-start", "tool-call", "decision", "tool-result", "turn-end"]);

    // The transcript replays to the same conversation.
    const records = readTranscript(session.file);
    expect(records.filter((r) => r.type === "message").map((r) => r.message)).toEqual(session.messages);
    expect(records.filter((r) => r.type === "tool-call").map((r) => r.name)).toEqual(["Read", "Write"]);
    expect(records.at(-1)).toMatchObject({ type: "end", reason: "done" });
  });

  it("a tool that throws, an unknown tool and bad arguments go back to the model as errors it can correct", async () => {
    const { model, agent } = open([
      toolCallsAnswer([
        { id: "c1", name: "Boom", input: {} },
        { id: "c2", name: "Nope", input: {} },
        { id: "c3", name: "Read", input: { file: "a.txt" } },
      ]),
      textAnswer("Sorry."),
    ]);
    const { outcome } = await drain(agent.run("go"));
    expect(outcome.reason).toBe("done");
    const results = model.requests[1]!.messages.at(-1)!.content as Array<{ output: string; isError?: boolean }>;
    expect(results.map((r) => r.isError)).toEqual([true, true, true]);
    expect(results[0]!.output).toBe("disk on fire");
    expect(results[1]!.output).toMatch(/no tool named "Nope".*Available tools: Read, Write, Boom, ExitPlanMode/);
    expect(results[2]!.output).toMatch(/arguments for Read do not match its schema: path:/);
    expect(outcome.toolCalls.map((c) => c.isError)).toEqual([true, true, true]);
  });

  it("runs independent read-only calls together and writes one at a time", async () => {
    const reads = open([
      toolCallsAnswer([
        { id: "r1", name: "Read", input: { path: "a.txt" } },
        { id: "r2", name: "Read", input: { path: "b.txt" } },
      ]),
      textAnswer("ok"),
    ]);
    await drain(reads.agent.run("read both"));
    expect(reads.state.maxActive).toBe(2);

    const writes = open([
      toolCallsAnswer([
        { id: "w1", name: "Write", input: { path: "x", text: "1" } },
        { id: "w2", name: "Write", input: { path: "x", text: "2" } },
      ]),
      textAnswer("ok"),
    ]);
    await drain(writes.agent.run("write twice"));
    expect(writes.state.maxActive).toBe(1);
    expect(files.get("x")).toBe("2");
  });

  it("without anyone to ask, a call that would ask is refused, and the model is told why", async () => {
    const { model, agent } = open([toolCallsAnswer([{ id: "c1", name: "Write", input: { path: "x", text: "1" } }]), textAnswer("Could not write.")], {
      permissions: policy("ask"),
    });
    const { events, outcome } = await drain(agent.run("write"));
    expect(files.has("x")).toBe(false);
    expect(outcome.toolCalls[0]).toMatchObject({ name: "Write", decision: "deny", isError: true });
    expect(outcome.toolCalls[0]!.reason).toMatch(/writes need consent; this run is non-interactive.*--allow/);
    expect(events.find((e) => e.type === "decision")).toMatchObject({ action: "deny" });
    const result = (model.requests[1]!.messages.at(-1)!.content as Array<{ output: string }>)[0]!.output;
    expect(result).toMatch(/^Permission denied: Write was not run \(writes need consent; this run is non-interactive/);
  });

  it("with someone to ask, their answer decides", async () => {
    const replies = ["reject", "once"] as const;
    let asked = 0;
    const interaction: Interaction = { askPermission: async () => ({ reply: replies[asked++]! }), reviewPlan: async () => ({ verdict: "approve" }) };
    const { agent } = open(
      [
        toolCallsAnswer([{ id: "c1", name: "Write", input: { path: "x", text: "no" } }]),
        toolCallsAnswer([{ id: "c2", name: "Write", input: { path: "y", text: "yes" } }]),
        textAnswer("ok"),
      ],
      { permissions: policy("ask"), interaction },
    );
    const { outcome } = await drain(agent.run("write"));
    expect(asked).toBe(2);
    expect(files.has("x")).toBe(false);
    expect(files.get("y")).toBe("yes");
    expect(outcome.toolCalls.map((c) => c.decision)).toEqual(["deny", "allow"]);
  });

  it("sums every turn's usage, its cache reads and writes too where a turn states them, and claims none where no turn does", async () => {
    const withUsage = (parts: Script, usage: Usage): Script => (parts as StreamPart[]).map((p) => (p.type === "finish" ? { ...p, usage } : p));
    const { agent, session } = open([
      withUsage(toolCallsAnswer([{ id: "c1", name: "Read", input: { path: "a.txt" } }]), { inputTokens: 5212, cachedInputTokens: 5000, cacheWriteInputTokens: 200, outputTokens: 5, totalTokens: 5217 }),
      withUsage(toolCallsAnswer([{ id: "c2", name: "Read", input: { path: "b.txt" } }]), { inputTokens: 40, outputTokens: 3, totalTokens: 43 }),
      withUsage(textAnswer("Done."), { inputTokens: 5300, cachedInputTokens: 5212, outputTokens: 2, totalTokens: 5302 }),
    ]);
    const { outcome } = await drain(agent.run("read both"));
    session[Symbol.dispose]();
    expect(outcome.usage).toEqual({ inputTokens: 10552, cachedInputTokens: 10212, cacheWriteInputTokens: 200, outputTokens: 10, totalTokens: 10562 });

    const plain = open([toolCallsAnswer([{ id: "c1", name: "Read", input: { path: "a.txt" } }]), textAnswer("Done.")]);
    const again = await drain(plain.agent.run("read one"));
    plain.session[Symbol.dispose]();
    expect(again.outcome.usage).toEqual({ inputTokens: 20, outputTokens: 8, totalTokens: 28 });
  });

  it("sums the prompt tokens a local model restored from saved prompt states, and keeps a turn's cut input, across turns", async () => {
    const withUsage = (parts: Script, usage: Usage): Script => (parts as StreamPart[]).map((p) => (p.type === "finish" ? { ...p, usage } : p));
    const { agent, session } = open([
      // Restored from a saved state (the session resumed), then reused from the live sequence, then cut to fit.
      withUsage(toolCallsAnswer([{ id: "c1", name: "Read", input: { path: "a.txt" } }]), { inputTokens: 3000, cachedInputTokens: 2900, restoredInputTokens: 2900, outputTokens: 5, totalTokens: 3005 }),
      withUsage(toolCallsAnswer([{ id: "c2", name: "Read", input: { path: "b.txt" } }]), { inputTokens: 3100, cachedInputTokens: 3004, restoredInputTokens: 0, outputTokens: 4, totalTokens: 3104 }),
      withUsage(textAnswer("Done."), { inputTokens: 4096, cachedInputTokens: 1000, restoredInputTokens: 1000, inputTruncated: true, outputTokens: 2, totalTokens: 4098 }),
    ]);
    const { outcome } = await drain(agent.run("read both"));
    session[Symbol.dispose]();
    expect(outcome.usage).toEqual({ inputTokens: 10196, cachedInputTokens: 6904, restoredInputTokens: 3900, inputTruncated: true, outputTokens: 11, totalTokens: 10207 });
  });

  it("stops at max turns with reason max-turns", async () => {
    const { agent } = open([toolCallsAnswer([{ id: "c1", name: "Read", input: { path: "a.txt" } }])], { maxTurns: 3 });
    const { outcome } = await drain(agent.run("loop forever"));
    expect(outcome.reason).toBe("max-turns");
    expect(outcome.turns).toBe(3);
    expect(outcome.toolCalls).toHaveLength(3);
  });

  it("a prompt too long for the model says what the user cannot shorten: the assistant's own instructions and tools", async () => {
    const overflow = { code: "context_overflow", message: "This model's maximum context length is 512 tokens.", hint: "Shorten the prompt.", status: 400 } as const;
    const { agent } = open([{ fail: { type: "error", error: overflow } }]);
    const { events, outcome } = await drain(agent.run("hi"));
    expect(outcome.error).toMatchObject({ code: "context_overflow", message: overflow.message, status: 400 });
    expect(outcome.error?.hint).toMatch(/^The assistant's instructions and tool definitions go with every turn/);
    // The terminal UI shows the error event's hint; `wren -p` prints the outcome's.
    expect(events.at(-1)).toMatchObject({ type: "error", error: { hint: outcome.error?.hint } });
  });

  it("a model error ends the run with the error, and the session stays consistent", async () => {
    const { agent, session } = open([{ fail: { type: "error", error: { code: "unauthorized", message: "bad key" } } }]);
    const { events, outcome } = await drain(agent.run("hi"));
    expect(outcome.reason).toBe("error");
    expect(outcome.error).toMatchObject({ code: "unauthorized", message: "bad key" });
    expect(events.at(-1)).toMatchObject({ type: "error" });
    // The prompt is on record with the run's end, but not in the conversation a next prompt continues.
    expect(readTranscript(session.file).slice(1).map((r) => r.type)).toEqual(["message", "end"]);
    expect(session.messages).toEqual([]);
  });

  it("cancellation reaches the model's call and ends the run as cancelled", async () => {
    const { agent, model, session } = open([{ hang: true }]);
    const controller = new AbortController();
    const run = agent.run("wait", { signal: controller.signal });
    const first = await run.next();
    expect(first.value).toMatchObject({ type: "turn-start" });
    const pending = run.next();
    // The model is waiting on the signal: only aborting can end its call.
    await new Promise((resolve) => setImmediate(resolve));
    expect(model.calls).toBe(1);
    controller.abort();
    let next = await pending;
    while (!next.done) next = await run.next();
    expect(next.value.reason).toBe("cancelled");
    session[Symbol.dispose]();
    expect(readTranscript(session.file).at(-1)).toMatchObject({ type: "end", reason: "cancelled" });
  });

  it("plan mode refuses writes with a message the model can act on; ExitPlanMode approved switches to execution", async () => {
    const reviews: string[] = [];
    const interaction: Interaction = {
      askPermission: async () => ({ reply: "reject" }),
      reviewPlan: async (plan) => {
        reviews.push(plan);
        return { verdict: "approve" };
      },
    };
    const { model, agent, session } = open(
      [
        toolCallsAnswer([{ id: "c1", name: "Write", input: { path: "x", text: "early" } }]),
        toolCallsAnswer([{ id: "c2", name: "ExitPlanMode", input: { plan: "1. write x" } }]),
        toolCallsAnswer([{ id: "c3", name: "Write", input: { path: "x", text: "planned" } }]),
        textAnswer("Done."),
      ],
      { interaction },
      "plan",
    );
    const { events, outcome } = await drain(agent.run("plan it"));
    const refusal = (model.requests[1]!.messages.at(-1)!.content as Array<{ output: string }>)[0]!.output;
    expect(refusal).toMatch(/Permission denied: Write was not run.*Plan mode is on.*call ExitPlanMode/);
    expect(reviews).toEqual(["1. write x"]);
    expect(events.find((e) => e.type === "plan")).toEqual({ type: "plan", plan: "1. write x", verdict: "approved" });
    expect(files.get("x")).toBe("planned");
    expect(outcome.toolCalls.map((c) => c.decision)).toEqual(["deny", "allow", "allow"]);
    expect(session.mode).toBe("default");
    session[Symbol.dispose]();
    expect(readTranscript(session.file).some((r) => r.type === "mode" && r.mode === "default")).toBe(true);
  });

  it("plan mode without anyone to review: the plan is the result", async () => {
    const { agent } = open([toolCallsAnswer([{ id: "c1", name: "ExitPlanMode", input: { plan: "Step 1: think." } }]), textAnswer("never sent")], {}, "plan");
    const { outcome } = await drain(agent.run("plan it"));
    expect(outcome.reason).toBe("plan");
    expect(outcome.result).toBe("Step 1: think.");
    expect(outcome.turns).toBe(1);
  });

  it("a rejected plan keeps plan mode and tells the model why", async () => {
    const interaction: Interaction = { askPermission: async () => ({ reply: "reject" }), reviewPlan: async () => ({ verdict: "reject", reason: "too risky" }) };
    const { model, agent, session } = open([toolCallsAnswer([{ id: "c1", name: "ExitPlanMode", input: { plan: "rm everything" } }]), textAnswer("ok")], { interaction }, "plan");
    await drain(agent.run("plan"));
    expect(session.mode).toBe("plan");
    const result = (model.requests[1]!.messages.at(-1)!.content as Array<{ output: string; isError?: boolean }>)[0]!;
    expect(result).toMatchObject({ isError: true });
    expect(result.output).toMatch(/rejected the plan: too risky.*still on/);
  });

  it("a reopened session continues the conversation with the same system prompt", async () => {
    const first = open([textAnswer("First answer.")]);
    await drain(first.agent.run("one"));
    first.session[Symbol.dispose]();
    const reopened = Session.open(dir, first.session.id);
    const model = new ScriptedModel("scripted", "m", [textAnswer("Second answer.")]);
    const agent = new Agent(reopened, { model, tools: [], permissions: policy("deny") });
    const { outcome } = await drain(agent.run("two"));
    reopened[Symbol.dispose]();
    expect(outcome.result).toBe("Second answer.");
    const sent = model.requests[0]!.messages;
    expect(sent[0]).toEqual({ role: "system", content: "You are a test." });
    expect(sent.slice(1).map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });

  // A prompt left without its answer would be sent with the next one: twice when the user types it
  // again, and as two user messages in a row, which some chat templates refuse.
  it("a prompt whose run failed before any answer stays in the transcript but is not sent to the model again, in this run's session or a reopened one", async () => {
    const failing = { fail: { type: "error", error: { code: "upstream_error", message: "HTTP 500" } } } as const;
    const first = open([textAnswer("First answer."), failing, textAnswer("Second answer.")]);
    await drain(first.agent.run("one"));
    expect((await drain(first.agent.run("two"))).outcome.reason).toBe("error");
    // Typed again in the same session (the terminal UI), it is sent once.
    expect((await drain(first.agent.run("two"))).outcome.result).toBe("Second answer.");
    const texts = (messages: readonly Message[]) => messages.map((m) => `${m.role}: ${messageText(m)}`);
    expect(texts(first.model.requests[2]!.messages.slice(1))).toEqual(["user: one", "assistant: First answer.", "user: two"]);
    first.session[Symbol.dispose]();
    // The failed prompt and its end are on record, for wren sessions show.
    const records = readTranscript(first.session.file);
    expect(records.filter((r) => r.type === "message" && r.message.role === "user")).toHaveLength(3);
    expect(records.filter((r) => r.type === "end").map((r) => r.type === "end" && r.reason)).toEqual(["done", "error", "done"]);

    // Continued later (--continue, --resume) after another prompt failed: neither failed prompt is sent.
    const again = Session.open(dir, first.session.id);
    const refused = new Agent(again, { model: new ScriptedModel("scripted", "m", [failing]), tools: [], permissions: policy("deny") });
    expect((await drain(refused.run("three"))).outcome.reason).toBe("error");
    again[Symbol.dispose]();
    const reopened = Session.open(dir, first.session.id);
    const model = new ScriptedModel("scripted", "m", [textAnswer("Third answer.")]);
    await drain(new Agent(reopened, { model, tools: [], permissions: policy("deny") }).run("three, again"));
    reopened[Symbol.dispose]();
    expect(texts(model.requests[0]!.messages.slice(1))).toEqual(["user: one", "assistant: First answer.", "user: two", "assistant: Second answer.", "user: three, again"]);
  });

  // The results of a turn's calls are recorded together, after the last one: a process killed
  // meanwhile may have run some or all of them (a Write done, a command half-way).
  it("a session killed between a call and its result reopens with that call answered as unknown, never as not run", async () => {
    const { session } = open([]);
    session.push({ role: "user", content: [{ type: "text", text: "go" }] });
    session.push({ role: "assistant", content: [{ type: "tool-call", toolCallId: "c9", toolName: "Write", input: {} }] });
    session[Symbol.dispose]();
    const reopened = Session.open(dir, session.id);
    reopened[Symbol.dispose]();
    expect(reopened.messages.at(-1)).toMatchObject({ role: "tool", content: [{ toolCallId: "c9", isError: true }] });
    const told = (reopened.messages.at(-1)!.content[0] as { output: string }).output;
    expect(told).not.toMatch(/did not run/);
    expect(told).toBe("The run ended while this call was in progress, before its result was recorded: it may have run in full, in part or not at all. Check what it would have changed before calling it again.");
    expect(readFileSync(session.file, "utf8").trim().split("\n").length).toBe(4);
  });
});
