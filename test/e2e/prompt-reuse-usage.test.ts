import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** A `/metrics` counter of the chat model, by its other labels (sorted by name, as the server writes them). */
async function counter(server: RunningServer, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

// One sequence, so each request finds what the one before left: the figures are token counts, decided
// before generation, so nothing here depends on timing.
describe.runIf(hasSharedModels)("the prompt tokens a local model reused, in each dialect and in /metrics", () => {
  let server: RunningServer;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", contextSize: 512, sequences: 1 }],
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

  const system = "You answer questions about the fox and the fence, briefly and kindly, in one sentence.";
  const question = "Where did the fox go after it jumped over the fence?";

  it("states the same count in OpenAI's cached_tokens, Anthropic's cache_read_input_tokens and wren_tokens_total", async () => {
    const openaiCached = async (stream: boolean): Promise<{ prompt: number; cached: number }> => {
      const messages = [
        { role: "system" as const, content: system },
        { role: "user" as const, content: question },
      ];
      if (!stream) {
        const reply = await openai.chat.completions.create({ model: "chat", messages, max_tokens: 4, temperature: 0 });
        return { prompt: reply.usage!.prompt_tokens, cached: reply.usage!.prompt_tokens_details!.cached_tokens! };
      }
      let usage: OpenAI.CompletionUsage | undefined;
      const chunks = await openai.chat.completions.create({ model: "chat", messages, max_tokens: 4, temperature: 0, stream: true, stream_options: { include_usage: true } });
      for await (const chunk of chunks) usage = chunk.usage ?? usage;
      return { prompt: usage!.prompt_tokens, cached: usage!.prompt_tokens_details!.cached_tokens! };
    };
    const before = await counter(server, "wren_tokens_total", 'dialect="openai",kind="cached",model="chat"');
    const cold = await openaiCached(false);
    const warm = await openaiCached(false);
    const streamed = await openaiCached(true);
    expect(warm.prompt).toBe(cold.prompt);
    // All but the last prompt token, which is evaluated again for its logits.
    expect(warm.cached).toBe(warm.prompt - 1);
    expect(streamed).toEqual(warm);
    expect(cold.cached).toBeLessThan(warm.cached);
    const after = await counter(server, "wren_tokens_total", 'dialect="openai",kind="cached",model="chat"');
    expect(after - before).toBe(cold.cached + warm.cached + streamed.cached);

    // The same conversation through Anthropic's API renders the same prompt: the sequence holds all of it.
    const params = { model: "chat", system, messages: [{ role: "user" as const, content: question }], max_tokens: 4, temperature: 0 };
    const message = await anthropic.messages.create(params);
    expect(message.usage.cache_read_input_tokens).toBe(warm.cached);
    expect(message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0)).toBe(warm.prompt);
    const stream = anthropic.messages.stream(params);
    const start = await new Promise<Anthropic.Usage>((resolve) => stream.on("streamEvent", (event) => event.type === "message_start" && resolve(event.message.usage)));
    const final = await stream.finalMessage();
    expect(start.cache_read_input_tokens).toBe(warm.cached);
    expect(final.usage.cache_read_input_tokens).toBe(warm.cached);
    expect(final.usage.input_tokens).toBe(warm.prompt - warm.cached);
    expect(await counter(server, "wren_tokens_total", 'dialect="anthropic",kind="cached",model="chat"')).toBe(2 * warm.cached);
    expect(await counter(server, "wren_prompt_cache_requests_total", 'dialect="anthropic",model="chat",result="hit"')).toBe(2);
  });
});
