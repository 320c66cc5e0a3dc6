import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const direct = { provider: "local", model: "chat", reason: "direct", route: "direct" };

function expectHeaders(headers: Headers): void {
  expect(headers.get("x-wren-provider")).toBe("local");
  expect(headers.get("x-wren-model")).toBe("chat");
  expect(headers.get("x-wren-route")).toBe("direct");
  expect(headers.get("x-wren-reason")).toBe("direct");
}

describe.runIf(hasSharedModels)("every response says who answered (a local model served by name)", () => {
  let server: RunningServer;
  const messages = [{ role: "user" as const, content: "Say hello." }];

  beforeAll(async () => {
    server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", contextSize: 512, sequences: 2 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const sseData = (text: string) =>
    text
      .split("\n")
      .filter((l) => l.startsWith("data: ") && l !== "data: [DONE]")
      .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);

  it("OpenAI client: headers on streamed and non-streamed chats, the field in the body and the last chunk", async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const full = await openai.chat.completions.create({ model: "chat", messages, max_tokens: 8 }).withResponse();
    expectHeaders(full.response.headers);
    expect((full.data as unknown as Record<string, unknown>)["wren_provenance"]).toEqual(direct);

    const streamed = await openai.chat.completions.create({ model: "chat", messages, max_tokens: 8, stream: true }).withResponse();
    expectHeaders(streamed.response.headers);
    const chunks: unknown[] = [];
    for await (const chunk of streamed.data) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: expect.any(String) as unknown }], wren_provenance: direct });
    expect(chunks.slice(0, -1).some((c) => "wren_provenance" in (c as object))).toBe(false);

    const withUsage = sseData(await (await post("/v1/chat/completions", { model: "chat", messages, max_tokens: 8, stream: true, stream_options: { include_usage: true } })).text());
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: expect.any(Object) as unknown, wren_provenance: direct });

    const completion = await post("/v1/completions", { model: "chat", prompt: "Hi", max_tokens: 4 });
    expectHeaders(completion.headers);
    expect(await completion.json()).toMatchObject({ wren_provenance: direct });
  });

  it("Anthropic client: headers on both, the field in the body, message_delta and message_stop", async () => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    const full = await anthropic.messages.create({ model: "chat", max_tokens: 8, messages }).withResponse();
    expectHeaders(full.response.headers);
    expect((full.data as unknown as Record<string, unknown>)["wren_provenance"]).toEqual(direct);

    const streamed = await anthropic.messages.create({ model: "chat", max_tokens: 8, messages, stream: true }).withResponse();
    expectHeaders(streamed.response.headers);
    const events: Array<Record<string, unknown>> = [];
    for await (const event of streamed.data) events.push(event as unknown as Record<string, unknown>);
    expect(events.at(-2)).toMatchObject({ type: "message_delta", wren_provenance: direct });
    expect(events.at(-1)).toMatchObject({ type: "message_stop", wren_provenance: direct });
  });

  it("Ollama: headers on both, the field on the final NDJSON line and the non-streamed body", async () => {
    const streamed = await post("/api/chat", { model: "chat", messages, options: { num_predict: 8 } });
    expectHeaders(streamed.headers);
    const lines = (await streamed.text()).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ done: true, wren_provenance: direct });
    expect(lines.slice(0, -1).some((l) => "wren_provenance" in l)).toBe(false);

    const full = await post("/api/generate", { model: "chat", prompt: "Hi", stream: false, options: { num_predict: 4 } });
    expectHeaders(full.headers);
    expect(await full.json()).toMatchObject({ done: true, wren_provenance: direct });
  });
});
