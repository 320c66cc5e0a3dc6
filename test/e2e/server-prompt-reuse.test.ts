import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHATML } from "../helpers/gguf-writer.js";
import { syntheticModel } from "../helpers/synthetic-models.js";

// Each request is awaited before the next: which sequence serves it, and what that sequence holds,
// is decided before generation, so the cached counts below are exact whatever the machine's speed.
describe("wren serve reports prompt reuse in each dialect's usage", () => {
  let server: RunningServer;
  let openai: OpenAI;
  let anthropic: Anthropic;
  const system = "You answer questions about the fox and the fence, briefly.";
  const messages = [{ role: "user" as const, content: "Where?" }];

  beforeAll(async () => {
    server = await startServer({
      models: [{ path: await syntheticModel({ seed: 15, ...CHATML }), id: "chat", contextSize: 256, sequences: 2 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
    });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("OpenAI chat: a repeated prompt's cached_tokens is its token count less the last token, streamed and not", async () => {
    const request = { model: "chat", messages: [{ role: "system" as const, content: system }, ...messages], temperature: 0, max_tokens: 4 };
    const first = await openai.chat.completions.create(request);
    const prompt = first.usage!.prompt_tokens;
    const second = await openai.chat.completions.create(request);
    expect(second.usage!.prompt_tokens).toBe(prompt);
    expect(second.usage!.prompt_tokens_details?.cached_tokens).toBe(prompt - 1);
    const stream = await openai.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(prompt - 1);
  });

  it("Anthropic: cache reads are counted apart from input_tokens, and the two add up to count_tokens", async () => {
    const request = { model: "chat", max_tokens: 4, system: `${system} Anthropic.`, messages };
    const counted = (await anthropic.messages.countTokens({ model: "chat", system: request.system, messages })).input_tokens;
    await anthropic.messages.create(request);
    const again = await anthropic.messages.create(request);
    expect(again.usage.cache_read_input_tokens).toBe(counted - 1);
    expect(again.usage.input_tokens).toBe(1);
    const final = await anthropic.messages.stream(request).finalMessage();
    expect(final.usage.cache_read_input_tokens).toBe(counted - 1);
    expect(final.usage.input_tokens).toBe(1);
    // The stream's first event already splits the prompt: the model's sequence is known before its first token.
    const events = await anthropic.messages.create({ ...request, stream: true });
    let start: Anthropic.MessageStartEvent | undefined;
    for await (const event of events) if (event.type === "message_start") start = event;
    expect(start?.message.usage).toMatchObject({ input_tokens: 1, cache_read_input_tokens: counted - 1, output_tokens: 0 });
  });

  it("Responses: input_tokens_details.cached_tokens, and the /metrics counters", async () => {
    const request = { model: "chat", instructions: `${system} Responses.`, input: "Where?", temperature: 0, max_output_tokens: 16 };
    const first = await openai.responses.create(request);
    const second = await openai.responses.create(request);
    expect(second.usage!.input_tokens).toBe(first.usage!.input_tokens);
    expect(second.usage!.input_tokens_details.cached_tokens).toBe(first.usage!.input_tokens - 1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/wren_prompt_cache_requests_total\{[^}]*result="hit"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/wren_tokens_total\{[^}]*kind="cached"[^}]*\} [1-9]/);
  });
});
