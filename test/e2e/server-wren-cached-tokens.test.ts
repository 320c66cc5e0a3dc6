import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { serveChatModel } from "../helpers/enum-answers.js";
import { hasSharedModels } from "../helpers/shared-models.js";

/** Long enough (32 tokens and more) for the other wren's prompt cache to keep and reuse. */
const PROMPT = "Tell me about the little wren that sang every morning in the old garden behind the house by the river.";

/**
 * A prompt sent twice through one wren to another: the first, with no model of its own, sends
 * every request to the `wren` preset, the second serves the shared chat model and reuses the
 * prompt it has seen.
 */
describe.runIf(hasSharedModels)("cached prompt tokens through wren to another wren", () => {
  let other: RunningServer;
  let front: RunningServer;

  beforeAll(async () => {
    other = await serveChatModel();
    front = await startServer({
      models: [],
      host: "127.0.0.1",
      port: 0,
      env: {},
      router: defaultConfig({ env: {} }, { router: { healthIntervalMs: 0, teachers: ["wren:chat"], providers: { wren: { baseURL: `${other.url}/v1` } } } }).router,
    });
  });
  afterAll(async () => {
    await front?.close();
    await other?.close();
  });

  it("are the other wren's prompt reuse in the front wren's answers, in every dialect, streamed or not", async () => {
    const openai = new OpenAI({ baseURL: `${front.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const messages = [{ role: "user" as const, content: PROMPT }];
    const first = await openai.chat.completions.create({ model: "wren:chat", messages, max_tokens: 4, temperature: 0 }).withResponse();
    expect(first.response.headers.get("x-wren-provider")).toBe("wren");
    const prompt = first.data.usage!.prompt_tokens;
    expect(prompt).toBeGreaterThanOrEqual(32);
    expect(first.data.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    // Sent again, every prompt token but the last (its logits start the answer) is reused.
    const again = await openai.chat.completions.create({ model: "wren:chat", messages, max_tokens: 4, temperature: 0 });
    expect(again.usage).toMatchObject({ prompt_tokens: prompt, prompt_tokens_details: { cached_tokens: prompt - 1 } });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of await openai.chat.completions.create({ model: "wren:chat", messages, max_tokens: 4, temperature: 0, stream: true, stream_options: { include_usage: true } })) {
      usage = chunk.usage ?? usage;
    }
    expect(usage).toMatchObject({ prompt_tokens: prompt, prompt_tokens_details: { cached_tokens: prompt - 1 } });
    const anthropic = new Anthropic({ baseURL: front.url, apiKey: "unused", maxRetries: 0 });
    const message = await anthropic.messages.create({ model: "wren:chat", max_tokens: 4, messages: [{ role: "user", content: PROMPT }] });
    expect(message.usage).toMatchObject({ input_tokens: 1, cache_read_input_tokens: prompt - 1 });
  });
});
