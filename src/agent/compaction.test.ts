import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { collectStream, messageText, type CallOptions, type ChatRequest, type GenerateResult, type LanguageModel, type StreamPart } from "../protocol/index.js";
import type { Tool } from "../tools/tool.js";
import { toolCallsAnswer } from "../../test/helpers/fake-upstreams/tool-script.js";
import { Agent } from "./agent.js";
import { SUMMARY_PREFIX } from "./compaction.js";
import type { AgentEvent } from "./events.js";
import { Session } from "./session.js";
import { readTranscript } from "./transcript.js";

const tokensOf = (request: ChatRequest): number => Math.ceil(JSON.stringify(request.messages).length / 4);

/**
 * A scripted model that reports the size of each request as its input tokens (4 characters a
 * token) and refuses requests over its window, as a real one would. With tools it reads the next
 * chunk `turns` times, then answers; without tools (a summary request) it summarises.
 */
class LongTaskModel implements LanguageModel {
  readonly provider = "scripted";
  readonly modelId = "long";
  readonly mainRequests: ChatRequest[] = [];
  summaries = 0;
  private step = 0;

  constructor(
    private readonly window: number,
    private readonly turns: number,
  ) {}

  async *doStream(request: ChatRequest, _options?: CallOptions): AsyncIterable<StreamPart> {
    const input = tokensOf(request);
    if (input > this.window) {
      yield { type: "error", error: { code: "context_overflow", message: `request of ${input} tokens exceeds ${this.window}` } };
      return;
    }
    const usage = { inputTokens: input, outputTokens: 5, totalTokens: input + 5 };
    if (!request.tools) {
      this.summaries++;
      const text = `Read chunks so far; summary number ${this.summaries}.`;
      yield* [
        { type: "stream-start", provider: this.provider, modelId: this.modelId },
        { type: "text-delta", id: "s", delta: text },
        { type: "finish", finishReason: "stop", usage },
      ] satisfies StreamPart[];
      return;
    }
    this.mainRequests.push(request);
    this.step++;
    const parts =
      this.step <= this.turns
        ? toolCallsAnswer([{ id: `c${this.step}`, name: "Read", input: { chunk: this.step } }])
        : ([{ type: "text-delta", id: "t", delta: "Finished reading." }, { type: "finish", finishReason: "stop", usage }] satisfies StreamPart[]);
    for (const part of parts) yield part.type === "finish" ? { ...part, usage, provenance: { provider: "scripted", model: "long", reason: "direct" } } : part;
  }

  doGenerate(request: ChatRequest, options?: CallOptions): Promise<GenerateResult> {
    return collectStream(this.doStream(request, options));
  }
}

const chunkReader: Tool<{ chunk: number }> = {
  name: "Read",
  description: "Read one chunk of a long file",
  parameters: z.object({ chunk: z.number() }),
  readOnly: true,
  permission: () => ({ tool: "Read", effect: "read" }),
  execute: async (input) => ({ llmContent: `chunk ${input.chunk}: ${"lorem ipsum dolor sit amet ".repeat(20)}`, display: "", isError: false }),
};

describe("auto-compaction", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-compact-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a long session under the limit, with the summary in context", async () => {
    const window = 2_000;
    const model = new LongTaskModel(window, 20);
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:long", mode: "default", system: "You read long files.", tools: ["Read"] });
    const agent = new Agent(session, {
      model,
      tools: [chunkReader],
      permissions: { decide: () => ({ action: "allow", reason: "test" }) },
      compaction: { contextWindow: window, threshold: 0.8 },
    });
    const events: AgentEvent[] = [];
    const run = agent.run("Read all 20 chunks.");
    let next = await run.next();
    while (!next.done) {
      events.push(next.value);
      next = await run.next();
    }
    session[Symbol.dispose]();
    expect(next.value.reason).toBe("done");
    expect(next.value.result).toBe("Finished reading.");
    // The summary requests are tokens spent too: the run's usage counts them with the turns'.
    const counted = [...next.value.turnRecords.map((t) => t.usage), ...events.flatMap((e) => (e.type === "compaction" ? [e.usage] : []))];
    expect(events.find((e) => e.type === "compaction")).toMatchObject({ usage: { inputTokens: expect.any(Number) as number } });
    expect(next.value.usage.totalTokens).toBe(counted.reduce((sum, u) => sum + u.totalTokens, 0));
    expect(next.value.usage.totalTokens).toBeGreaterThan(next.value.turnRecords.reduce((sum, t) => sum + t.usage.totalTokens, 0));
    // 20 chunks of ~140 tokens each would need ~3,000 tokens: it fits only because older turns were summarised.
    const compactions = events.filter((e) => e.type === "compaction");
    expect(compactions.length).toBeGreaterThan(0);
    expect(model.summaries).toBe(compactions.length);
    for (const request of model.mainRequests) expect(tokensOf(request)).toBeLessThanOrEqual(window);
    const last = model.mainRequests.at(-1)!;
    expect(last.messages[0]).toEqual({ role: "system", content: "You read long files." });
    expect(messageText(last.messages[1]!)).toContain(SUMMARY_PREFIX);
    expect(messageText(last.messages[1]!)).toContain(`summary number ${model.summaries}`);
    // A call and its result are never split: every tool message follows the assistant call it answers.
    for (const request of model.mainRequests) {
      request.messages.forEach((m, i) => {
        if (m.role === "tool") expect(request.messages[i - 1]!.role).toBe("assistant");
      });
    }
    // The transcript records the replacement, and replaying it gives the conversation the agent ended with.
    const reopened = Session.open(dir, session.id);
    reopened[Symbol.dispose]();
    expect(reopened.messages).toEqual(session.messages);
    expect(readTranscript(session.file).filter((r) => r.type === "compaction")).toHaveLength(compactions.length);
  });

  it("/compact on demand summarises older turns; with nothing older it does nothing", async () => {
    const model = new LongTaskModel(10_000, 1);
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:long", mode: "default", system: "s", tools: ["Read"] });
    const agent = new Agent(session, { model, tools: [chunkReader], permissions: { decide: () => ({ action: "allow", reason: "test" }) } });
    expect(await agent.compact()).toBeUndefined();
    const run = agent.run("Read one chunk.");
    while (!(await run.next()).done);
    const event = await agent.compact();
    session[Symbol.dispose]();
    expect(event).toMatchObject({ type: "compaction", messagesBefore: 4, summary: "Read chunks so far; summary number 1." });
    expect(messageText(session.messages[0]!)).toContain(SUMMARY_PREFIX);
  });

  it("the window follows who answered last, and a lone earlier summary is never summarised again", async () => {
    const model = new LongTaskModel(100_000, 20);
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:long", mode: "default", system: "s", tools: ["Read"] });
    const seen: Array<string | undefined> = [];
    const agent = new Agent(session, {
      model,
      tools: [chunkReader],
      permissions: { decide: () => ({ action: "allow", reason: "test" }) },
      // A small window before anyone answered, a large one for the model that then answers.
      compaction: {
        contextWindow: (answeredBy) => {
          seen.push(answeredBy?.provider);
          return answeredBy?.provider === "scripted" ? 100_000 : 500;
        },
      },
    });
    const run = agent.run("Read all 20 chunks.");
    let next = await run.next();
    const kinds: string[] = [];
    while (!next.done) {
      kinds.push(next.value.type);
      next = await run.next();
    }
    session[Symbol.dispose]();
    expect(next.value.reason).toBe("done");
    expect(kinds).not.toContain("compaction");
    expect(model.summaries).toBe(0);
    expect(seen[0]).toBeUndefined();
    expect(seen.slice(1).every((p) => p === "scripted")).toBe(true);

    // Once compacted, the summary and the kept turns are all there is: /compact again does nothing.
    const small = new LongTaskModel(100_000, 1);
    const s2 = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:long", mode: "default", system: "s", tools: ["Read"] });
    const a2 = new Agent(s2, { model: small, tools: [chunkReader], permissions: { decide: () => ({ action: "allow", reason: "test" }) } });
    const r2 = a2.run("Read one chunk.");
    while (!(await r2.next()).done);
    expect(await a2.compact()).toBeDefined();
    expect(await a2.compact()).toBeUndefined();
    s2[Symbol.dispose]();
    expect(small.summaries).toBe(1);
  });

  it("a resumed session is judged against the window of the model that answered it last, from its first turn", async () => {
    // Small for a model not known yet (the local one), large for the one that answered.
    const contextWindow = (answeredBy: { provider: string } | undefined) => (answeredBy?.provider === "scripted" ? 100_000 : 500);
    const first = new LongTaskModel(100_000, 4);
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:long", mode: "default", system: "s", tools: ["Read"] });
    const a1 = new Agent(session, { model: first, tools: [chunkReader], permissions: { decide: () => ({ action: "allow", reason: "test" }) }, compaction: { contextWindow } });
    const r1 = a1.run("Read four chunks.");
    while (!(await r1.next()).done);
    session[Symbol.dispose]();

    using reopened = Session.open(dir, session.id);
    expect(reopened.lastProvenance).toEqual({ provider: "scripted", model: "long", reason: "direct" });
    const second = new LongTaskModel(100_000, 0);
    const a2 = new Agent(reopened, { model: second, tools: [chunkReader], permissions: { decide: () => ({ action: "allow", reason: "test" }) }, compaction: { contextWindow } });
    const kinds: string[] = [];
    const r2 = a2.run("And?");
    let next = await r2.next();
    while (!next.done) {
      kinds.push(next.value.type);
      next = await r2.next();
    }
    expect(next.value.reason).toBe("done");
    expect(kinds).not.toContain("compaction");
    expect(second.summaries).toBe(0);
    expect(second.mainRequests[0]!.messages).toHaveLength(1 + 10 + 1);
  });

  it("before compacting on a guessed window, asks for the window of the model that will answer (a local model not loaded yet)", async () => {
    const first = new LongTaskModel(100_000, 4);
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "local:m", mode: "default", system: "s", tools: ["Read"] });
    const a1 = new Agent(session, { model: first, tools: [chunkReader], permissions: { decide: () => ({ action: "allow", reason: "test" }) }, compaction: { contextWindow: 100_000 } });
    const r1 = a1.run("Read four chunks.");
    while (!(await r1.next()).done);
    session[Symbol.dispose]();

    // Until it is loaded (or the daemon reached), the local model's window is only the configured 500.
    let loaded: number | undefined;
    const asked: AbortSignal[] = [];
    const compaction = {
      contextWindow: () => loaded ?? 500,
      confirmWindow: (_answeredBy: unknown, signal: AbortSignal) => {
        asked.push(signal);
        loaded = 100_000;
        return Promise.resolve(loaded);
      },
    };
    using reopened = Session.open(dir, session.id);
    const second = new LongTaskModel(100_000, 0);
    const a2 = new Agent(reopened, { model: second, tools: [chunkReader], permissions: { decide: () => ({ action: "allow", reason: "test" }) }, compaction });
    const kinds: string[] = [];
    const r2 = a2.run("And?");
    let next = await r2.next();
    while (!next.done) {
      kinds.push(next.value.type);
      next = await r2.next();
    }
    expect(next.value.reason).toBe("done");
    expect(kinds).not.toContain("compaction");
    expect(second.summaries).toBe(0);
    expect(second.mainRequests[0]!.messages).toHaveLength(1 + 10 + 1);
    // Asked once, before the first turn; once known, the window is not asked for again.
    expect(asked).toHaveLength(1);
  });
});
