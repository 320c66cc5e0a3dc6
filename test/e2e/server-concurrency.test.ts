import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

async function metric(server: RunningServer, name: string, model: string, before = ""): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${before}model="${model}"}`));
  return line ? Number(line.split(" ").at(-1)) : Number.NaN;
}

describe.runIf(hasSharedModels)("wren serve under concurrent load", () => {
  let server: RunningServer;
  let openai: OpenAI;

  beforeAll(async () => {
    server = await startServer({
      models: [{ path: sharedModels.stories, id: "stories", contextSize: 1024, sequences: 4 }],
      port: 0,
      gpu: "cpu",
      // One thread: on a shared 2-core machine a second one only oversubscribes.
      threads: 1,
      preload: true,
    });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Streams a story; returns its token count and when its first and last chunks arrived. */
  const story = async (maxTokens: number): Promise<{ tokens: number; first: number; last: number }> => {
    const stream = await openai.completions.create({ model: "stories", prompt: "Once upon a time", max_tokens: maxTokens, temperature: 0, stream: true, stream_options: { include_usage: true } });
    let tokens = 0;
    let first = Number.NaN;
    let last = Number.NaN;
    for await (const chunk of stream) {
      last = performance.now();
      if (Number.isNaN(first)) first = last;
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
    return { tokens, first, last };
  };

  // Whether concurrency is also faster is a figure for `npm run bench` (4-stream throughput), not
  // a timed assertion: here, that four streams run at once, each to its full length.
  it("runs four streams at once: each starts before any of them ends, and each gets every token", async () => {
    await story(20); // warm-up
    const runs = await Promise.all([story(600), story(600), story(600), story(600)]);
    expect(runs.map((r) => r.tokens)).toEqual([600, 600, 600, 600]);
    const lastStart = Math.max(...runs.map((r) => r.first));
    const firstEnd = Math.min(...runs.map((r) => r.last));
    expect(lastStart).toBeLessThan(firstEnd);
    // Each generation's wait for a sequence is observed once (four sequences: none had to wait long, but each counts).
    expect(await metric(server, "wren_queue_wait_seconds_count", "stories", 'dialect="openai",')).toBe(5);
  });

  // How soon is a figure for `npm run bench` (agent-cancel); here, that the abort frees the sequence.
  it("frees the sequence after a client abort mid-stream (seen in /metrics)", async () => {
    const controller = new AbortController();
    const stream = await openai.completions.create(
      { model: "stories", prompt: "Once upon a time", max_tokens: 900, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    let activeBefore = Number.NaN;
    let caught: unknown;
    try {
      for await (const chunk of stream) {
        void chunk;
        chunks += 1;
        if (chunks === 5) {
          activeBefore = await metric(server, "wren_active_sequences", "stories");
          controller.abort();
        }
      }
    } catch (error) {
      caught = error;
    }
    const aborted = performance.now();
    expect(activeBefore).toBe(1);
    // The SDK ends an aborted stream quietly or with its abort error, never with a server error.
    if (caught !== undefined) expect(caught).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(chunks).toBeLessThan(100);
    let active = await metric(server, "wren_active_sequences", "stories");
    while (active !== 0 && performance.now() - aborted < 10_000) {
      await new Promise((r) => setTimeout(r, 5));
      active = await metric(server, "wren_active_sequences", "stories");
    }
    expect(active).toBe(0);
    expect(server.models.loaded()[0]!.stats.active).toBe(0);
    // The freed sequence serves the next request.
    expect((await story(10)).tokens).toBe(10);
  });

  it("reports a prompt cut to a small per-request context (header and usage), never silently", async () => {
    const long = "Once upon a time there was a little girl named Lily. ".repeat(20);
    const res = await fetch(`${server.url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-wren-context-length": "64" },
      body: JSON.stringify({ model: "stories", prompt: long, max_tokens: 8 }),
    });
    const body = (await res.json()) as { usage?: { wren_input_truncated?: boolean }; error?: { message: string } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(res.headers.get("x-wren-input-truncated")).toBe("true");
    expect(body.usage?.wren_input_truncated).toBe(true);
  });
});
