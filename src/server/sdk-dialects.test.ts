import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel, type Script } from "../../test/helpers/scripted-host.js";
import type { ChatRequest } from "../protocol/index.js";
import { createServerApp } from "./app.js";

/** What the scripted model answers: tool calls when tools are offered and not yet answered, else text. */
function answer(req: ChatRequest): Script {
  const last = req.messages.at(-1);
  if (req.tools?.length && last?.role !== "tool") {
    return { text: "", toolCalls: [{ name: "weather", input: '{"city":"Oslo"}' }, { name: "weather", input: '{"city":"Bergen"}' }] };
  }
  return { text: "Sunny in Oslo.", inputTokens: 11 };
}

// The official SDKs, pointed at wren by their base URL only, as the judges of each dialect.
describe("the official SDKs against wren served on loopback", () => {
  const model = new ScriptedModel("tiny", answer);
  const slow = new ScriptedModel("slow", () => ({ text: "x".repeat(400), chunk: 2, delayMs: 20 }));
  // A call the output limit cut off: its arguments half-written.
  const cut = new ScriptedModel("cut", (req) => (req.messages.at(-1)?.role === "tool" ? { text: "Done." } : { toolCalls: [{ name: "weather", input: '{"city":' }] }));
  const json = new ScriptedModel("json", () => ({ text: '{"city":"Oslo"}' }));
  const host = new ScriptedHost(
    new Map([
      ["tiny", model],
      ["slow", slow],
      ["cut", cut],
      ["json", json],
    ]),
  );
  let server: ServerType;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    const { app } = createServerApp({ host });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: url, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const tools = [{ type: "function" as const, function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];

  it("OpenAI: a streamed answer folds into the same completion as the unstreamed one, with usage last", async () => {
    const stream = openai.chat.completions.stream({ model: "tiny", messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("Sunny in Oslo.");
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 11, total_tokens: 11 + (chunks.at(-1)?.usage?.completion_tokens ?? 0) });
  });

  it("OpenAI: parallel tool calls and their results round-trip, streamed and not", async () => {
    const first = await openai.chat.completions.create({ model: "tiny", messages: [{ role: "user", content: "weather?" }], tools });
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => c.type === "function" && c.function.arguments)).toEqual(['{"city":"Oslo"}', '{"city":"Bergen"}']);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");

    const stream = openai.chat.completions.stream({ model: "tiny", messages: [{ role: "user", content: "weather?" }], tools });
    const streamed = await stream.finalChatCompletion();
    const streamedCalls = streamed.choices[0]?.message.tool_calls ?? [];
    expect(streamedCalls.map((c) => c.type === "function" && c.function.arguments)).toEqual(['{"city":"Oslo"}', '{"city":"Bergen"}']);
    expect(streamed.choices[0]?.finish_reason).toBe("tool_calls");

    // The assistant message as the SDK returned it, sent back with the results.
    const message = first.choices[0]!.message;
    const second = await openai.chat.completions.create({
      model: "tiny",
      tools,
      messages: [{ role: "user", content: "weather?" }, message, ...calls.map((c) => ({ role: "tool" as const, tool_call_id: c.id, content: "sunny" }))],
    });
    expect(second.choices[0]?.message.content).toBe("Sunny in Oslo.");
    const seen = model.requests.at(-1)!;
    expect(seen.messages.filter((m) => m.role === "tool").flatMap((m) => m.content.map((p) => ("toolName" in p ? p.toolName : "")))).toEqual(["weather", "weather"]);
  });

  it("OpenAI: bad input is a BadRequestError in OpenAI's shape, naming the parameter", async () => {
    const n = await openai.chat.completions.create({ model: "tiny", messages: [{ role: "user", content: "hi" }], n: 2 }).catch((e: unknown) => e);
    expect(n).toBeInstanceOf(OpenAI.BadRequestError);
    expect((n as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("n");
    const missing = await openai.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    const emptyMessages = await openai.chat.completions.create({ model: "tiny", messages: [] }).catch((e: unknown) => e);
    expect(emptyMessages).toBeInstanceOf(OpenAI.BadRequestError);
    expect((emptyMessages as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
  });

  it("OpenAI: completions, embeddings and models through the SDK", async () => {
    const completion = await openai.completions.create({ model: "tiny", prompt: "Once" });
    expect(completion.choices[0]?.text).toBe("Sunny in Oslo.");
    const embedded = await openai.embeddings.create({ model: "tiny", input: ["ab", "abc"] });
    expect(embedded.data).toHaveLength(2);
    expect(embedded.data[0]?.embedding).toHaveLength(3);
    const models = [];
    for await (const m of openai.models.list()) models.push(m.id);
    expect(models).toEqual(["tiny", "slow", "cut", "json"]);
  });

  it("Anthropic: a streamed message folds into the same message, events in order, with usage", async () => {
    const stream = anthropic.messages.stream({
      model: "tiny",
      max_tokens: 64,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "hi" }],
    });
    const events: string[] = [];
    stream.on("streamEvent", (e) => events.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: "text", text: "Sunny in Oslo.", citations: null }].map(({ citations, ...b }) => (citations === null ? b : b)));
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.input_tokens).toBe(11);
    expect(events[0]).toBe("message_start");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(model.requests.at(-1)!.messages[0]).toEqual({ role: "system", content: "Be brief." });
  });

  it("Anthropic: parallel tool_use blocks and tool_result round-trip, streamed and not", async () => {
    const anthropicTools = [{ name: "weather", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } }];
    const first = await anthropic.messages.create({ model: "tiny", max_tokens: 64, tools: anthropicTools, messages: [{ role: "user", content: "weather?" }] });
    const uses = first.content.filter((b) => b.type === "tool_use");
    expect(uses.map((b) => b.input)).toEqual([{ city: "Oslo" }, { city: "Bergen" }]);
    expect(first.stop_reason).toBe("tool_use");

    const streamed = await anthropic.messages.stream({ model: "tiny", max_tokens: 64, tools: anthropicTools, messages: [{ role: "user", content: "weather?" }] }).finalMessage();
    expect(streamed.content.filter((b) => b.type === "tool_use").map((b) => b.input)).toEqual([{ city: "Oslo" }, { city: "Bergen" }]);
    expect(streamed.stop_reason).toBe("tool_use");

    const second = await anthropic.messages.create({
      model: "tiny",
      max_tokens: 64,
      tools: anthropicTools,
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: first.content },
        { role: "user", content: uses.map((u) => ({ type: "tool_result" as const, tool_use_id: u.id, content: "sunny" })) },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Sunny in Oslo." }]);
  });

  it("Anthropic: bad input is an error in Anthropic's shape with the right status", async () => {
    const bad = await anthropic.messages.create({ model: "tiny", max_tokens: 0, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.any(String) } });
    const missing = await anthropic.messages.create({ model: "nope", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });

  it("Anthropic: count_tokens through the SDK", async () => {
    const counted = await anthropic.messages.countTokens({ model: "tiny", system: "Be brief.", messages: [{ role: "user", content: "hi" }] });
    expect(counted.input_tokens).toBe(6);
  });

  it("Anthropic: thinking blocks and images in the history are accepted", async () => {
    const reply = await anthropic.messages.create({
      model: "tiny",
      max_tokens: 64,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [
        { role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }, { type: "text", text: "what is it?" }] },
        { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig" }, { type: "text", text: "A dot." }] },
        { role: "user", content: "sure?" },
      ],
      stop_sequences: ["END"],
    });
    expect(reply.content).toEqual([{ type: "text", text: "Sunny in Oslo." }]);
    expect(model.requests.at(-1)!.stopSequences).toEqual(["END"]);
  });

  it("a client that goes away mid-stream stops the model, in either dialect", async () => {
    const before = slow.aborted;
    const controller = new AbortController();
    const stream = await openai.chat.completions.create({ model: "slow", messages: [{ role: "user", content: "hi" }], stream: true }, { signal: controller.signal });
    let seen = 0;
    // The SDK ends its iteration quietly once its signal aborts.
    for await (const chunk of stream) {
      seen += chunk.choices[0]?.delta.content?.length ?? 0;
      if (seen >= 4) controller.abort();
    }
    expect(seen).toBeLessThan(400);
    await expect.poll(() => slow.aborted).toBe(before + 1);

    const stream2 = anthropic.messages.stream({ model: "slow", max_tokens: 1000, messages: [{ role: "user", content: "hi" }] });
    let text = "";
    stream2.on("text", (delta) => {
      text += delta;
      if (text.length >= 4) stream2.abort();
    });
    await expect(stream2.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    await expect.poll(() => slow.aborted).toBe(before + 2);
  });

  it("OpenAI: a tool call wren answered with cut-off or empty arguments can be sent back with its result", async () => {
    const first = await openai.chat.completions.create({ model: "cut", messages: [{ role: "user", content: "weather?" }], tools });
    const message = first.choices[0]!.message;
    const call = message.tool_calls![0]!;
    expect(call.type === "function" && call.function.arguments).toBe('{"city":');
    const history = (m: OpenAI.ChatCompletionMessageParam): OpenAI.ChatCompletionMessageParam[] => [{ role: "user", content: "weather?" }, m, { role: "tool", tool_call_id: call.id, content: "no city given" }];
    const second = await openai.chat.completions.create({ model: "cut", tools, messages: history(message) });
    expect(second.choices[0]?.message.content).toBe("Done.");
    expect(cut.requests.at(-1)!.messages[1]).toEqual({ role: "assistant", content: [{ type: "tool-call", toolCallId: call.id, toolName: "weather", input: '{"city":' }] });
    // A call without arguments, as some clients send it back: no arguments at all.
    const empty = await openai.chat.completions.create({
      model: "cut",
      tools,
      messages: history({ role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: { name: "weather", arguments: "" } }] }),
    });
    expect(empty.choices[0]?.message.content).toBe("Done.");
    expect(cut.requests.at(-1)!.messages[1]).toEqual({ role: "assistant", content: [{ type: "tool-call", toolCallId: call.id, toolName: "weather", input: {} }] });
  });

  it("a tool call demanded with no tools offered is refused, in each dialect's shape", async () => {
    const before = model.requests.length;
    const openaiRequired = await openai.chat.completions.create({ model: "tiny", messages: [{ role: "user", content: "hi" }], tool_choice: "required" }).catch((e: unknown) => e);
    expect(openaiRequired).toBeInstanceOf(OpenAI.BadRequestError);
    expect((openaiRequired as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("tool_choice");
    const anthropicAny = await anthropic.messages.create({ model: "tiny", max_tokens: 8, messages: [{ role: "user", content: "hi" }], tool_choice: { type: "any" } }).catch((e: unknown) => e);
    expect(anthropicAny).toBeInstanceOf(Anthropic.BadRequestError);
    expect((anthropicAny as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("tool_choice") } });
    expect(model.requests.length).toBe(before);
    // auto and none ask for no call: still answered.
    const auto = await openai.chat.completions.create({ model: "tiny", messages: [{ role: "user", content: "hi" }], tool_choice: "auto" });
    expect(auto.choices[0]?.message.content).toBe("Sunny in Oslo.");
  });

  it("OpenAI: embeddings with more dimensions than the model has are refused, not cut short silently", async () => {
    const wide = await openai.embeddings.create({ model: "tiny", input: "abc", dimensions: 10 }).catch((e: unknown) => e);
    expect(wide).toBeInstanceOf(OpenAI.BadRequestError);
    expect((wide as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("dimensions");
    expect((wide as InstanceType<typeof OpenAI.BadRequestError>).message).toContain("3");
    const narrow = await openai.embeddings.create({ model: "tiny", input: "abc", dimensions: 2 });
    expect(narrow.data[0]?.embedding).toHaveLength(2);
  });

  it("Anthropic: a message with empty content is refused, naming it, rather than left out of the conversation", async () => {
    const before = model.requests.length;
    for (const content of [[], ""]) {
      const empty = await anthropic.messages.create({ model: "tiny", max_tokens: 8, messages: [{ role: "user", content }] }).catch((e: unknown) => e);
      expect(empty).toBeInstanceOf(Anthropic.BadRequestError);
      expect((empty as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("messages.0") } });
    }
    const counted = await anthropic.messages.countTokens({ model: "tiny", messages: [{ role: "user", content: "hi" }, { role: "assistant", content: [] }, { role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(counted).toBeInstanceOf(Anthropic.BadRequestError);
    expect(model.requests.length).toBe(before);
    // The final assistant message, which the answer continues, may be empty.
    const reply = await anthropic.messages.create({ model: "tiny", max_tokens: 8, messages: [{ role: "user", content: "hi" }, { role: "assistant", content: [] }] });
    expect(reply.content).toEqual([{ type: "text", text: "Sunny in Oslo." }]);
  });

  it("OpenAI: the SDK's own tool loop (runTools) and structured output (parse) run against wren", async () => {
    const calls: string[] = [];
    const runner = openai.chat.completions.runTools({
      model: "tiny",
      messages: [{ role: "user", content: "weather?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "weather",
            description: "The weather of a city.",
            parameters: { type: "object", properties: { city: { type: "string" } } },
            parse: (text: string) => JSON.parse(text) as { city: string },
            function: (args: { city: string }) => {
              calls.push(args.city);
              return "sunny";
            },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe("Sunny in Oslo.");
    expect(calls).toEqual(["Oslo", "Bergen"]);

    const parsed = await openai.chat.completions.parse({
      model: "json",
      messages: [{ role: "user", content: "a city" }],
      response_format: { type: "json_schema", json_schema: { name: "city", strict: true, schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } } },
    });
    expect(parsed.choices[0]?.message.parsed).toEqual({ city: "Oslo" });
    expect(json.requests.at(-1)!.responseFormat).toMatchObject({ type: "json", name: "city", strict: true });
  });
});
