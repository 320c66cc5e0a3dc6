import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChatRequest, StreamPart } from "../protocol/index.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse } from "../../test/helpers/sse.js";
import { createServerApp, type ServerAppOptions } from "./app.js";

/** A model whose first token waits until the test lets it go: a long prompt still evaluating. */
class HeldFirstToken extends ScriptedModel {
  private release: (() => void) | undefined;

  constructor(id: string) {
    super(id, () => ({}));
  }

  /** Lets the request waiting now have its first token. */
  letGo(): void {
    this.release?.();
  }

  override async *doStream(request: ChatRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    const gate = new Promise<void>((resolve) => (this.release = resolve));
    yield { type: "stream-start", provider: this.provider, modelId: this.modelId };
    await gate;
    yield { type: "text-start", id: "0" };
    yield { type: "text-delta", id: "0", delta: "Late hello" };
    yield { type: "text-end", id: "0" };
    yield { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } };
  }
}

/** The app served by Node on loopback, as `wren serve` runs it. */
async function served(host: ScriptedHost, options: Omit<ServerAppOptions, "host"> = {}): Promise<{ url: string; server: ServerType }> {
  const { app } = createServerApp({ host, ...options });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: ServerType): Promise<unknown> => new Promise((resolve) => server.close(resolve));

const chat = (url: string, model: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], stream: true }),
    ...init,
  });

/** The text of an OpenAI stream's deltas. */
function textOf(body: string): string {
  const chunks = parseSse(body).filter((e) => e.data.startsWith("{")).map((e) => JSON.parse(e.data) as { choices: Array<{ delta?: { content?: string } }> });
  return chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
}

// Served by Node, streamed answers are written to Node's response by wren itself rather than
// through a web stream: everything a client sees must be as before.
describe("streamed answers served by Node", () => {
  const tiny = new ScriptedModel("tiny", () => ({ text: "Hello over Node, in one go.", chunk: 5 }));
  const drip = new ScriptedModel("drip", () => ({ text: "x".repeat(400), chunk: 2, delayMs: 50 }));
  const held = new HeldFirstToken("held");
  const host = new ScriptedHost(
    new Map<string, ScriptedModel>([
      ["tiny", tiny],
      ["drip", drip],
      ["held", held],
    ]),
  );
  let url = "";
  let server: ServerType;

  beforeAll(async () => {
    ({ url, server } = await served(host, { streamHeadersAfterMs: 20 }));
  });

  afterAll(async () => {
    await close(server);
  });

  it("an answer whose parts are all ready arrives whole: status, headers, every frame and [DONE]", async () => {
    const res = await chat(url, "tiny", { headers: { "content-type": "application/json", "x-request-id": "node-1" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-request-id")).toBe("node-1");
    expect(res.headers.get("x-wren-model")).toBe("tiny");
    const body = await res.text();
    expect(textOf(body)).toBe("Hello over Node, in one go.");
    expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
    await vi.waitFor(() => expect(host.held).toBe(0), { timeout: 10_000 });
  });

  it("sends its 200 and headers while the first token is still coming, and the answer once it comes", async () => {
    const res = await chat(url, "held");
    // The model has produced no token yet: it is held until after this line.
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    held.letGo();
    expect(textOf(await res.text())).toBe("Late hello");
  });

  it("sends its 200 and headers while the first token is still coming when its dialect has nothing to say before it (Ollama's lines)", async () => {
    const res = await fetch(`${url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "held", messages: [{ role: "user", content: "hi" }] }) });
    // The model has produced no token yet: it is held until after this line.
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    held.letGo();
    const lines = (await res.text()).trim().split("\n").map((line) => JSON.parse(line) as { message?: { content?: string }; done: boolean });
    expect(lines.map((l) => l.message?.content ?? "").join("")).toBe("Late hello");
    expect(lines.at(-1)?.done).toBe(true);
    await vi.waitFor(() => expect(host.held).toBe(0), { timeout: 10_000 });
  });

  it("a client that goes away mid-answer stops the model and gives its place back", async () => {
    const client = new AbortController();
    const res = await chat(url, "drip", { signal: client.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("data: ");
    client.abort();
    await vi.waitFor(() => expect(drip.aborted).toBe(1), { timeout: 20_000 });
    await vi.waitFor(() => expect(host.held).toBe(0), { timeout: 20_000 });
  });

  it("a client that goes away while waiting for a whole answer stops the model too", async () => {
    const client = new AbortController();
    const seen = drip.requests.length;
    const answer = chat(url, "drip", { body: JSON.stringify({ model: "drip", messages: [{ role: "user", content: "hi" }] }), signal: client.signal }).catch(() => undefined);
    await vi.waitFor(() => expect(drip.requests.length).toBe(seen + 1), { timeout: 20_000 });
    client.abort();
    await answer;
    await vi.waitFor(() => expect(drip.aborted).toBe(2), { timeout: 20_000 });
    await vi.waitFor(() => expect(host.held).toBe(0), { timeout: 20_000 });
  });
});

describe("streamed answers served by Node with CORS on", () => {
  const host = new ScriptedHost(new Map([["tiny", new ScriptedModel("tiny", () => ({ text: "Hello, other origin." }))]]));
  let url = "";
  let server: ServerType;

  beforeAll(async () => {
    ({ url, server } = await served(host, { corsOrigins: ["https://app.example"] }));
  });

  afterAll(async () => {
    await close(server);
  });

  it("carry the CORS headers with the whole answer", async () => {
    // A page of that origin, as a browser sends its request (a page of an origin not allowed is refused: origin-check.test.ts).
    const res = await chat(url, "tiny", { headers: { "content-type": "application/json", origin: "https://app.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(res.headers.get("access-control-expose-headers")).toContain("x-wren-provider");
    expect(res.headers.get("x-wren-model")).toBe("tiny");
    expect(textOf(await res.text())).toBe("Hello, other origin.");
  });
});
