import Anthropic from "@anthropic-ai/sdk";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve with the official OpenAI, Anthropic and Ollama clients", () => {
  let server: RunningServer;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let ollama: Ollama;
  const messages = [{ role: "user" as const, content: "Say hello." }];

  beforeAll(async () => {
    server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", aliases: ["tiny-chat"], contextSize: 512, sequences: 4 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
    });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    ollama = new Ollama({ host: server.url });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("OpenAI: non-streamed and streamed chats agree, with consistent usage", async () => {
    const full = await openai.chat.completions.create({ model: "chat", messages, seed: 42, temperature: 0 });
    expect(full.choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
    expect(full.choices[0]!.finish_reason).toBe("stop");
    const usage = full.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);

    const stream = await openai.chat.completions.create({ model: "tiny-chat", messages, seed: 42, temperature: 0, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let streamedUsage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) streamedUsage = chunk.usage;
    }
    expect(text).toBe(full.choices[0]!.message.content);
    expect(streamedUsage).toMatchObject({ prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens });
  });

  it("OpenAI: a json_schema response parses and validates", async () => {
    // Bounded fields: the synthetic model would otherwise write one string until max_tokens.
    const schema = {
      type: "object",
      properties: { greeting: { type: "string", maxLength: 16 }, count: { enum: [1, 2, 3] } },
      required: ["greeting", "count"],
      additionalProperties: false,
    };
    const res = await openai.chat.completions.create({
      model: "chat",
      messages,
      max_tokens: 200,
      response_format: { type: "json_schema", json_schema: { name: "greeting", schema, strict: true } },
    });
    const parsed: unknown = JSON.parse(res.choices[0]!.message.content!);
    expect(z.strictObject({ greeting: z.string().max(16), count: z.union([z.literal(1), z.literal(2), z.literal(3)]) }).safeParse(parsed).success).toBe(true);
  });

  it("OpenAI: a forced tool call returns arguments that validate", async () => {
    const res = await openai.chat.completions.create({
      model: "chat",
      messages,
      max_tokens: 200,
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string", maxLength: 16 } }, required: ["city"], additionalProperties: false } } }],
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(call.type).toBe("function");
    if (call.type !== "function") return;
    expect(call.function.name).toBe("get_weather");
    const args: unknown = JSON.parse(call.function.arguments);
    expect(z.strictObject({ city: z.string().max(16) }).safeParse(args).success).toBe(true);
    expect(res.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("OpenAI: unknown model, unknown field and wrong type raise the SDK's typed errors; the server keeps serving", async () => {
    await expect(openai.chat.completions.create({ model: "missing", messages })).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await expect(openai.chat.completions.create({ model: "chat", messages, n: 3 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(openai.chat.completions.create({ model: "chat", messages, ...{ bogus: 1 } })).rejects.toMatchObject({ status: 400, param: "bogus" });
    await expect(openai.chat.completions.create({ model: "chat", messages, temperature: "warm" as unknown as number })).rejects.toMatchObject({ status: 400 });
    const ok = await openai.chat.completions.create({ model: "chat", messages });
    expect(ok.choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
  });

  it("OpenAI: lists the served models, then the router's auto and default", async () => {
    const models = [];
    for await (const m of openai.models.list()) models.push(m.id);
    expect(models).toEqual(["chat", "auto", "default"]);
    expect((await openai.models.retrieve("tiny-chat")).id).toBe("chat");
  });

  it("Anthropic: non-streamed message and a stream with exact event order and indexes", async () => {
    const msg = await anthropic.messages.create({ model: "chat", max_tokens: 64, system: "You are terse.", messages });
    expect(msg.content).toEqual([{ type: "text", text: CHAT_MODEL_REPLY }]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage.input_tokens).toBeGreaterThan(0);

    const stream = anthropic.messages.stream({ model: "chat", max_tokens: 64, system: "You are terse.", messages });
    const events: Array<{ type: string; index?: number }> = [];
    for await (const event of stream) events.push({ type: event.type, ...("index" in event ? { index: event.index } : {}) });
    const final = await stream.finalMessage();
    const deltas = events.filter((e) => e.type === "content_block_delta");
    expect(deltas.length).toBeGreaterThan(0);
    expect(events).toEqual([
      { type: "message_start" },
      { type: "content_block_start", index: 0 },
      ...deltas.map(() => ({ type: "content_block_delta", index: 0 })),
      { type: "content_block_stop", index: 0 },
      { type: "message_delta" },
      { type: "message_stop" },
    ]);
    expect(final.content).toHaveLength(1);
    expect(final.content[0]).toMatchObject({ type: "text", text: CHAT_MODEL_REPLY });
    expect(final.usage.output_tokens).toBe(msg.usage.output_tokens);
    // Anthropic counts prompt-cache reads apart from input_tokens: the repeated prompt is mostly a read.
    expect(final.usage.input_tokens + (final.usage.cache_read_input_tokens ?? 0)).toBe(msg.usage.input_tokens + (msg.usage.cache_read_input_tokens ?? 0));
  });

  it("Anthropic: a stop sequence ends the text and is reported as stop_sequence, streamed and not", async () => {
    const msg = await anthropic.messages.create({ model: "chat", max_tokens: 64, stop_sequences: ["tiny"], messages });
    expect(msg.stop_reason).toBe("stop_sequence");
    expect(msg.stop_sequence).toBe("tiny");
    expect(msg.content[0]?.type === "text" && msg.content[0].text).toMatch(/^Hello from the ?$/);
    const stream = anthropic.messages.stream({ model: "chat", max_tokens: 64, stop_sequences: ["tiny"], messages });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe("stop_sequence");
    expect(final.stop_sequence).toBe("tiny");
  });

  it("Anthropic: count_tokens agrees with the usage of a message; errors are typed", async () => {
    const counted = await anthropic.messages.countTokens({ model: "chat", messages, system: "You are terse." });
    const msg = await anthropic.messages.create({ model: "chat", max_tokens: 64, system: "You are terse.", messages });
    expect(counted.input_tokens).toBe(msg.usage.input_tokens + (msg.usage.cache_read_input_tokens ?? 0));
    await expect(anthropic.messages.create({ model: "claude-x", max_tokens: 10, messages })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(anthropic.messages.create({ model: "chat", max_tokens: 0, messages })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it("Ollama: chat streamed and not, generate, tags, and a typed error for an unknown model", async () => {
    const res = await ollama.chat({ model: "chat", messages, options: { seed: 1, temperature: 0, num_ctx: 256 } });
    expect(res.message.content).toBe(CHAT_MODEL_REPLY);
    expect(res.done).toBe(true);
    expect(res.prompt_eval_count).toBeGreaterThan(0);
    const stream = await ollama.chat({ model: "chat", messages, stream: true, options: { seed: 1, temperature: 0 } });
    let text = "";
    let evalCount = 0;
    for await (const part of stream) {
      text += part.message.content;
      if (part.done) evalCount = part.eval_count;
    }
    expect(text).toBe(res.message.content);
    expect(evalCount).toBe(res.eval_count);
    const gen = await ollama.generate({ model: "chat", prompt: "Say hello." });
    expect(gen.response).toBe(CHAT_MODEL_REPLY);
    expect((await ollama.list()).models.map((m) => m.name)).toEqual(["chat"]);
    await expect(ollama.chat({ model: "nope", messages })).rejects.toMatchObject({ status_code: 404 });
  });

  it("answers malformed JSON and a 10 MB body in each dialect's shape and keeps serving", async () => {
    const post = (path: string, body: string) => fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const bad = await post("/v1/chat/completions", "{oops");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    const big = "x".repeat(10 * 1024 * 1024);
    const huge = await post("/v1/messages", JSON.stringify({ model: "chat", max_tokens: 5, messages: [{ role: "user", content: big }] }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ type: "error", error: { type: "request_too_large" } });
    const hugeOllama = await post("/api/chat", JSON.stringify({ model: "chat", messages: [{ role: "user", content: big }] }));
    expect(hugeOllama.status).toBe(413);
    expect(Object.keys((await hugeOllama.json()) as object)).toEqual(["error"]);
    const ok = await openai.chat.completions.create({ model: "chat", messages });
    expect(ok.choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
  });
});
