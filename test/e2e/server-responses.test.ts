import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { RunningServer } from "../../src/runtime/serve.js";
import type { ChatBody, ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { serveChatWithTeacher, type ServedChat } from "../helpers/served-chat.js";
import { CHAT_MODEL_REPLY, hasSharedModels } from "../helpers/shared-models.js";

const getWeather = {
  type: "function" as const,
  name: "get_weather",
  description: "The weather in a city.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
  strict: true,
};

/** The teacher calls get_weather first, and answers from the tool's result once it has one. */
function weatherTeacher(body: ChatBody) {
  const result = body.messages.find((m) => m.role === "tool");
  return result ? { text: `Teacher says: ${String(result.content)}` } : { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" }, id: "call_weather_1" }] };
}

describe.runIf(hasSharedModels)("wren serve's Responses API with the official openai client", () => {
  let served: ServedChat;
  let server: RunningServer;
  let teacher: ScriptedTeacher;
  let openai: OpenAI;

  beforeAll(async () => {
    served = await serveChatWithTeacher(weatherTeacher);
    ({ server, teacher } = served);
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await served?.close();
  });

  it("responses.create, non-streamed and streamed, give the model's reply with consistent usage; inputTokens.count agrees", async () => {
    const full = await openai.responses.create({ model: "chat", instructions: "You are terse.", input: "Say hello.", temperature: 0 });
    expect(full.status).toBe("completed");
    expect(full.output_text).toBe(CHAT_MODEL_REPLY);
    const usage = full.usage!;
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(usage.input_tokens_details.cached_tokens).toBe(0);

    const counted = await openai.responses.inputTokens.count({ model: "chat", instructions: "You are terse.", input: "Say hello." });
    expect(counted).toEqual({ object: "response.input_tokens", input_tokens: usage.input_tokens });

    const stream = await openai.responses.create({ model: "chat", instructions: "You are terse.", input: "Say hello.", temperature: 0, stream: true });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text).toBe(CHAT_MODEL_REPLY);
    expect(types.slice(0, 4)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]);
    expect(types.slice(-4)).toEqual(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(completed!.usage).toMatchObject({ input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, total_tokens: usage.total_tokens });
  });

  it("the responses.stream helper assembles the final response", async () => {
    const stream = openai.responses.stream({ model: "chat", input: [{ role: "user", content: "Say hello." }] });
    let deltas = "";
    stream.on("response.output_text.delta", (event) => {
      deltas += event.delta;
    });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(CHAT_MODEL_REPLY);
    expect(deltas).toBe(CHAT_MODEL_REPLY);
    expect(final.status).toBe("completed");
  });

  it("previous_response_id chains; retrieve, input_items and delete work on stored responses", async () => {
    const first = await openai.responses.create({ model: "chat", input: "Say hello." });
    const second = await openai.responses.create({ model: "chat", previous_response_id: first.id, input: "And again?" });
    expect(second.output_text).toBe(CHAT_MODEL_REPLY);
    expect(second.previous_response_id).toBe(first.id);
    // The chained prompt holds the first turn too: it is longer than the first alone.
    expect(second.usage!.input_tokens).toBeGreaterThan(first.usage!.input_tokens);

    const retrieved = await openai.responses.retrieve(second.id);
    expect(retrieved.id).toBe(second.id);
    expect(retrieved.output_text).toBe(CHAT_MODEL_REPLY);
    const items = [];
    for await (const item of openai.responses.inputItems.list(second.id)) items.push(item);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: "message", role: "user", content: [{ type: "input_text", text: "And again?" }] });

    await openai.responses.delete(first.id);
    await expect(openai.responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(openai.responses.create({ model: "chat", previous_response_id: first.id, input: "hi" })).rejects.toMatchObject({ status: 404, param: "previous_response_id" });
  });

  it("a json_schema text format gives JSON that validates", async () => {
    // Bounded fields: the synthetic model would otherwise write one string until the output bound.
    const schema = { type: "object", properties: { greeting: { type: "string", maxLength: 16 }, count: { enum: [1, 2, 3] } }, required: ["greeting", "count"], additionalProperties: false };
    const res = await openai.responses.create({ model: "chat", input: "Greet me.", max_output_tokens: 200, text: { format: { type: "json_schema", name: "greeting", schema, strict: true } } });
    const parsed: unknown = JSON.parse(res.output_text);
    expect(z.strictObject({ greeting: z.string().max(16), count: z.union([z.literal(1), z.literal(2), z.literal(3)]) }).safeParse(parsed).success).toBe(true);
  });

  it("a json_schema format's strict and description reach an OpenAI teacher, from the Responses and the chat completions API", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
    const before = teacher.requests.length;
    await openai.responses.create({ model: "openai:gpt-4o-mini", input: "A city.", text: { format: { type: "json_schema", name: "city", description: "One city.", schema, strict: true } } });
    await openai.chat.completions.create({
      model: "openai:gpt-4o-mini",
      messages: [{ role: "user", content: "A city." }],
      response_format: { type: "json_schema", json_schema: { name: "city", description: "One city.", schema, strict: true } },
      tools: [{ type: "function", function: { name: "get_weather", parameters: getWeather.parameters, strict: true } }],
    });
    await openai.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "A city." }], response_format: { type: "json_schema", json_schema: { name: "city", schema } } });
    const sent = teacher.requests.slice(before);
    expect(sent).toHaveLength(3);
    const wanted = { type: "json_schema", json_schema: { name: "city", description: "One city.", schema, strict: true } };
    expect(sent[0]!.response_format).toEqual(wanted);
    expect(sent[1]!.response_format).toEqual(wanted);
    expect(sent[1]!.tools![0]!.function.strict).toBe(true);
    // Not sent, not added: OpenAI's own default applies.
    expect(sent[2]!.response_format).toEqual({ type: "json_schema", json_schema: { name: "city", schema } });
  });

  it("a function call round trip with function_call_output, through a teacher, streamed and not", async () => {
    const before = teacher.requests.length;
    const { data: first, response } = await openai.responses.create({ model: "openai:gpt-4o-mini", input: "Weather in Paris?", tools: [getWeather] }).withResponse();
    expect(response.headers.get("x-wren-provider")).toBe("openai");
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", call_id: "call_weather_1" });
    expect(JSON.parse(call!.type === "function_call" ? call!.arguments : "")).toEqual({ city: "Paris" });
    const sentTools = teacher.requests[before]!.tools!;
    expect(sentTools.map((t) => t.function.name)).toEqual(["get_weather"]);
    // The client's strict reaches the teacher: OpenAI holds the arguments to the schema only then.
    expect(sentTools[0]!.function.strict).toBe(true);

    const answer = await openai.responses.create({
      model: "openai:gpt-4o-mini",
      previous_response_id: first.id,
      tools: [getWeather],
      input: [{ type: "function_call_output", call_id: "call_weather_1", output: "21C and sunny" }],
    });
    expect(answer.output_text).toBe("Teacher says: 21C and sunny");
    const sent = teacher.requests.at(-1)!.messages;
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(sent[1]!.tool_calls![0]).toMatchObject({ id: "call_weather_1", function: { name: "get_weather" } });
    expect(sent[2]).toMatchObject({ tool_call_id: "call_weather_1", content: "21C and sunny" });

    // Streamed, with the whole history sent by the client (store: false), as Codex CLI does.
    const stream = await openai.responses.create({ model: "openai:gpt-4o-mini", input: "Weather in Paris?", tools: [getWeather], stream: true, store: false });
    const types: string[] = [];
    let done: OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.function_call_arguments.done") done = event;
    }
    expect(types.slice(0, 3)).toEqual(["response.created", "response.in_progress", "response.output_item.added"]);
    expect(types).toContain("response.function_call_arguments.delta");
    expect(types.slice(-3)).toEqual(["response.function_call_arguments.done", "response.output_item.done", "response.completed"]);
    expect(JSON.parse(done!.arguments)).toEqual({ city: "Paris" });
    const history: OpenAI.Responses.ResponseInput = [
      { role: "user", content: "Weather in Paris?" },
      { type: "function_call", call_id: "call_weather_1", name: "get_weather", arguments: done!.arguments },
      { type: "function_call_output", call_id: "call_weather_1", output: "18C" },
    ];
    const final = await openai.responses.create({ model: "openai:gpt-4o-mini", input: history, tools: [getWeather], store: false });
    expect(final.output_text).toBe("Teacher says: 18C");
  });

  it("accepts the request Codex CLI sends and answers with the model's reply", async () => {
    const stream = await openai.responses.create({
      model: "chat",
      instructions: "You are a coding agent running in a terminal.",
      input: [
        { type: "message", role: "developer", content: [{ type: "input_text", text: "<permissions>sandboxed</permissions>" }] },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Say hello." }] },
      ],
      tools: [{ type: "function", name: "shell", description: "Runs a command.", strict: false, parameters: { type: "object", properties: { command: { type: "array", items: { type: "string" } } }, required: ["command"] } }],
      tool_choice: "auto",
      parallel_tool_calls: false,
      reasoning: { effort: "medium", summary: "auto" },
      store: false,
      stream: true,
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "0199a7b2-session",
      text: { verbosity: "medium" },
    });
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) if (event.type === "response.completed") completed = event.response;
    expect(completed!.output.flatMap((o) => (o.type === "message" ? o.content.map((c) => (c.type === "output_text" ? c.text : "")) : [])).join("")).toBe(CHAT_MODEL_REPLY);
    await expect(openai.responses.retrieve(completed!.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("a prompt too long for the context is a 400 context_length_exceeded, streamed and not; truncation auto drops the oldest items", async () => {
    const long = "hello world ".repeat(400);
    for (const stream of [false, true]) {
      const error: unknown = await openai.responses.create({ model: "chat", input: long, stream }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, code: "context_length_exceeded" });
      // The Responses API's words: its messages are the input.
      if (!stream) expect(error).toMatchObject({ param: "input", message: expect.stringMatching(/However, your input resulted in \d+ tokens\./) });
    }
    const input: OpenAI.Responses.ResponseInput = [
      { role: "user", content: long },
      { role: "assistant", content: "Noted." },
      { role: "user", content: "Say hello." },
    ];
    await expect(openai.responses.create({ model: "chat", input })).rejects.toMatchObject({ status: 400, code: "context_length_exceeded" });
    const cut = await openai.responses.create({ model: "chat", input, truncation: "auto" });
    expect(cut.output_text).toBe(CHAT_MODEL_REPLY);
    expect(cut.usage!.input_tokens).toBeLessThan(512);
  });

  it("errors are the SDK's typed errors; the server keeps serving", async () => {
    await expect(openai.responses.create({ model: "missing", input: "hi" })).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await expect(openai.responses.create({ model: "chat", input: "hi", temperature: "warm" as unknown as number })).rejects.toMatchObject({ status: 400, param: "temperature" });
    await expect(openai.responses.create({ model: "chat", input: "hi", background: true })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const ok = await openai.responses.create({ model: "chat", input: "hi" });
    expect(ok.output_text).toBe(CHAT_MODEL_REPLY);
  });
});
