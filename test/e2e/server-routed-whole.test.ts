import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";

/**
 * A routed name's non-streamed answer is awaited whole from the router (server/generation.ts
 * `generate()`), without the part-by-part machinery of a stream: what a generation does around it
 * (metrics, the request's timeout, the client going away, provenance) must hold all the same.
 */

/**
 * An upstream that reads requests and never answers: how many connections hold a request it took
 * (wren may also keep an idle connection open, ready for the next), and how many requests it took.
 */
async function silentUpstream(): Promise<{ url: string; open: () => number; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const asked = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("data", () => {
      accepted++;
      asked.add(socket);
    });
    socket.on("close", () => {
      sockets.delete(socket);
      asked.delete(socket);
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => asked.size,
    accepted: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The value of the series of `metric` whose labels include all of `labels` (0 when none). */
function metricValue(text: string, metric: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`)) continue;
    const inner = line.slice(metric.length + 1, line.indexOf("}"));
    if (wanted.every((w) => inner.split(",").includes(w))) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

describe("wren serve: a routed non-streamed answer, awaited whole", () => {
  let teacher: FakeUpstream;
  let silent: Awaited<ReturnType<typeof silentUpstream>>;
  let server: RunningServer;
  let stalled: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    silent = await silentUpstream();
    const routed = (baseURL: string) =>
      defaultConfig({ env: {} }, {
        router: { healthIntervalMs: 0, cloud: "allow", proxyOnly: true, teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL, cloud: true } } },
      }).router;
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router: routed(`${teacher.url}/v1`) });
    // The server's own request timeout, well under the router's non-streamed limit.
    stalled = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router: routed(`${silent.url}/v1`), requestTimeoutMs: 400 });
  });
  afterAll(async () => {
    await server?.close();
    await stalled?.close();
    await teacher?.close();
    await silent?.close();
  });

  const metrics = async (url: string) => (await fetch(`${url}/metrics`)).text();

  it("answers with the teacher's provenance, and /metrics counts the request, its tokens and its first token", async () => {
    const before = await metrics(server.url);
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const answer = await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "Say hello." }] }).withResponse();
    expect(answer.data.choices[0]!.message.content).toBe("Hello from the cloud.");
    expect(answer.response.headers.get("x-wren-provider")).toBe("openai");
    expect(answer.response.headers.get("x-wren-model")).toBe("gpt-4o-mini");
    expect(answer.response.headers.get("x-wren-route")).toBe("default");
    const after = await metrics(server.url);
    const delta = (metric: string, labels: Record<string, string>) => metricValue(after, metric, labels) - metricValue(before, metric, labels);
    expect(delta("wren_model_requests_total", { dialect: "openai" })).toBe(1);
    expect(delta("wren_tokens_total", { dialect: "openai", kind: "input" })).toBe(answer.data.usage!.prompt_tokens);
    expect(delta("wren_tokens_total", { dialect: "openai", kind: "output" })).toBe(answer.data.usage!.completion_tokens);
    expect(answer.data.usage!.completion_tokens).toBeGreaterThan(0);
    expect(delta("wren_time_to_first_token_seconds_count", { dialect: "openai" })).toBe(1);
  });

  it("past the server's request timeout it is a 504 in the client's own dialect, and the teacher's request is let go", async () => {
    const openai = await fetch(`${stalled.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(openai.status).toBe(504);
    const body = (await openai.json()) as { error: { message: string; code: string } };
    expect(body.error).toMatchObject({ code: "timeout", message: expect.stringContaining("the server's limit of 400 ms") });

    const anthropic = new Anthropic({ baseURL: stalled.url, apiKey: "unused", maxRetries: 0 });
    const refused = await anthropic.messages.create({ model: "auto", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.APIError);
    expect((refused as InstanceType<typeof Anthropic.APIError>).status).toBe(504);
    expect((refused as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: expect.any(String), message: expect.stringMatching(/time/i) } });
    await expect.poll(() => silent.open(), { timeout: 5_000 }).toBe(0);
    // Nothing counted as answered: the request failed before its first token.
    expect(metricValue(await metrics(stalled.url), "wren_model_requests_total", { dialect: "openai" })).toBe(0);
  });

  it("a client that goes away cancels the teacher's request", async () => {
    const accepted = silent.accepted();
    const controller = new AbortController();
    const pending = fetch(`${stalled.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "Hi" }] }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await expect.poll(() => silent.accepted() - accepted, { timeout: 5_000 }).toBe(1);
    expect(silent.open()).toBe(1);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    // Well before the server's own 400 ms timeout would have done it.
    await expect.poll(() => silent.open(), { timeout: 300, interval: 10 }).toBe(0);
  });
});
