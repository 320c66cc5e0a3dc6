/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON, checked by the assertions */
import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse, type JsonResponse } from "../../test/helpers/sse.js";
import { createServerApp } from "./app.js";

const REPLY = "Hello from a scripted model.";

function setup(options: { parallel?: number; maxQueue?: number; delayMs?: number } = {}) {
  const model = new ScriptedModel("tiny", (req) => {
    if (req.toolChoice && typeof req.toolChoice === "object") return { toolCalls: [{ name: req.toolChoice.toolName, input: '{"city":"Paris"}' }] };
    const last = req.messages.at(-1);
    const text = last && last.role === "user" && last.content[0]?.type === "text" ? last.content[0].text : "";
    return { text: REPLY, delayMs: options.delayMs ?? 0, truncated: text === "truncate me", inputTokens: 7 };
  });
  const host = new ScriptedHost(new Map([["tiny", model]]), { parallel: options.parallel ?? 2, maxQueued: options.maxQueue ?? 4, aliases: { tiny: ["tiny-alias"] } });
  const { app } = createServerApp({ host, maxBodyBytes: 1024 * 1024 });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> =>
    Promise.resolve(app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }));
  const get = (path: string): Promise<JsonResponse> => Promise.resolve(app.request(path));
  return { app, get, model, host, post };
}

const chat = { model: "tiny", messages: [{ role: "user", content: "hi" }] };

/** What the embedding routes answer for a raw vector: scaled to length 1. */
const unit = (v: number[]): number[] => v.map((x) => x / Math.sqrt(v.reduce((sum, y) => sum + y * y, 0)));

describe("OpenAI chat completions", () => {
  it("answers a non-streamed chat with usage", async () => {
    const { post, host } = setup();
    const res = await post("/v1/chat/completions", { ...chat, seed: 3, temperature: 0, max_tokens: 50, stop: "zzz" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message).toEqual({ role: "assistant", content: REPLY, refusal: null });
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(body.usage.prompt_tokens).toBe(7);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(host.held).toBe(0);
  });

  it("maps sampling, stop, seed, max tokens and response_format into the canonical request", async () => {
    const { post, model } = setup();
    const schema = { type: "object", properties: { a: { type: "number" } }, required: ["a"] };
    await post("/v1/chat/completions", {
      ...chat,
      messages: [{ role: "developer", content: "be brief" }, ...chat.messages],
      seed: 9,
      temperature: 0.5,
      top_p: 0.9,
      max_completion_tokens: 12,
      stop: ["x", "y"],
      response_format: { type: "json_schema", json_schema: { name: "a", schema } },
    });
    const req = model.requests.at(-1)!;
    expect(req).toMatchObject({ seed: 9, temperature: 0.5, topP: 0.9, maxOutputTokens: 12, stopSequences: ["x", "y"], responseFormat: { type: "json", schema, name: "a" } });
    expect(req.messages[0]).toEqual({ role: "system", content: "be brief" });
    await post("/v1/chat/completions", { ...chat, response_format: { type: "json_object" } });
    expect(model.requests.at(-1)!.responseFormat).toEqual({ type: "json" });
  });

  it("streams role, content, finish, usage and [DONE], with the same text as non-streamed", async () => {
    const { post } = setup();
    const res = await post("/v1/chat/completions", { ...chat, stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await res.text());
    expect(events.at(-1)!.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(REPLY);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish.choices[0].finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.prompt_tokens).toBe(7);
  });

  it("returns forced tool calls in both modes", async () => {
    const { post } = setup();
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const body = { ...chat, tools, tool_choice: { type: "function", function: { name: "weather" } } };
    const res = await post("/v1/chat/completions", body);
    const json = await res.json();
    expect(json.choices[0].finish_reason).toBe("tool_calls");
    expect(json.choices[0].message.content).toBeNull();
    expect(json.choices[0].message.tool_calls[0].function).toEqual({ name: "weather", arguments: '{"city":"Paris"}' });
    const streamed = parseSse(await (await post("/v1/chat/completions", { ...body, stream: true })).text());
    const calls = streamed.slice(0, -1).flatMap((e) => JSON.parse(e.data).choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } });
  });

  it("reports truncated input in usage and a header", async () => {
    const { post } = setup();
    const res = await post("/v1/chat/completions", { model: "tiny", messages: [{ role: "user", content: "truncate me" }] });
    expect(res.headers.get("x-wren-input-truncated")).toBe("true");
    expect((await res.json()).usage.wren_input_truncated).toBe(true);
  });

  it("continues a final assistant message with vLLM's continue_final_message, and otherwise starts a new turn", async () => {
    const { post, model } = setup();
    const prefilled = [...chat.messages, { role: "assistant", content: "{" }];
    for (const flags of [{ continue_final_message: true, add_generation_prompt: false }, { continue_final_message: true }]) {
      expect((await post("/v1/chat/completions", { ...chat, messages: prefilled, ...flags })).status).toBe(200);
      expect(model.requests.at(-1)!.continueFinalMessage).toBe(true);
    }
    for (const flags of [{}, { continue_final_message: false }, { continue_final_message: false, add_generation_prompt: true }]) {
      expect((await post("/v1/chat/completions", { ...chat, messages: prefilled, ...flags })).status).toBe(200);
      expect(model.requests.at(-1)!.continueFinalMessage).toBeUndefined();
    }
  });

  it("refuses continue_final_message and add_generation_prompt that contradict each other or the messages, in OpenAI's error shape", async () => {
    const { post, model } = setup();
    const seen = model.requests.length;
    const call = { id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } };
    const cases: Array<[Record<string, unknown>, RegExp, string]> = [
      [{ ...chat, continue_final_message: true }, /continue_final_message.*final message is a user message/, "continue_final_message"],
      [{ ...chat, messages: [...chat.messages, { role: "assistant", content: "{" }], continue_final_message: true, add_generation_prompt: true }, /add_generation_prompt/, "add_generation_prompt"],
      [{ ...chat, messages: [...chat.messages, { role: "assistant", content: null, tool_calls: [call] }], continue_final_message: true }, /tool_calls/, "continue_final_message"],
      [{ ...chat, add_generation_prompt: false }, /add_generation_prompt: false/, "add_generation_prompt"],
    ];
    for (const [body, message, param] of cases) {
      const res = await post("/v1/chat/completions", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = await res.json();
      expect(json.error).toMatchObject({ type: "invalid_request_error", param });
      expect(json.error.message).toMatch(message);
    }
    expect(model.requests).toHaveLength(seen);
  });

  it("takes the context length from x-wren-context-length and rejects a bad one", async () => {
    const { post, model } = setup();
    await post("/v1/chat/completions", chat, { "x-wren-context-length": "4096" });
    expect(model.requests.at(-1)!.contextLength).toBe(4096);
    const res = await post("/v1/chat/completions", chat, { "x-wren-context-length": "lots" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("x-wren-context-length");
    // Only a whole number written out: JavaScript's readings of hex, exponents and blanks are not the header's.
    for (const odd of ["0x1000", "4e3", "4096.0", "+4096", ""]) {
      const refused = await post("/v1/chat/completions", chat, { "x-wren-context-length": odd });
      expect(refused.status, odd).toBe(400);
    }
    await post("/v1/chat/completions", chat, { "x-wren-context-length": " 2048 " });
    expect(model.requests.at(-1)!.contextLength).toBe(2048);
  });
});

describe("OpenAI errors", () => {
  it("gives each bad request OpenAI's error shape and status, and keeps serving", async () => {
    const { post } = setup();
    const cases: Array<[unknown, number, RegExp, string | null]> = [
      ["{not json", 400, /not valid JSON/, null],
      [{ model: "tiny", messages: "hi" }, 400, /messages/, "messages"],
      [{ ...chat, temperature: "hot" }, 400, /temperature/, "temperature"],
      [{ ...chat, frobnicate: true }, 400, /Unrecognized request argument supplied: frobnicate/, "frobnicate"],
      [{ ...chat, n: 2 }, 400, /n=2 is not supported/, "n"],
      [{ ...chat, logprobs: true }, 400, /logprobs and top_logprobs are not supported/, "logprobs"],
      [{ ...chat, logprobs: false, top_logprobs: 3 }, 400, /logprobs and top_logprobs are not supported/, "top_logprobs"],
      [{ ...chat, model: "nope" }, 404, /Model 'nope' is not served here. Use one of: tiny/, "model"],
      [{ ...chat, tools: [], tool_choice: { type: "function", function: { name: "x" } } }, 400, /tool_choice/, "tool_choice"],
    ];
    for (const [body, status, message, param] of cases) {
      const res = await post("/v1/chat/completions", body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const json = await res.json();
      expect(Object.keys(json)).toEqual(["error"]);
      expect(json.error.message).toMatch(message);
      expect(json.error.param).toBe(param);
      expect(typeof json.error.type).toBe("string");
    }
    const big = JSON.stringify({ ...chat, messages: [{ role: "user", content: "x".repeat(2 * 1024 * 1024) }] });
    const res = await post("/v1/chat/completions", big);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
    expect((await post("/v1/chat/completions", chat)).status).toBe(200);
    // Not asked for: served as before.
    expect((await post("/v1/chat/completions", { ...chat, logprobs: false, top_logprobs: 0 })).status).toBe(200);
  });

  it("answers 429 with retry-after when the queue is full", async () => {
    const { post, host } = setup({ parallel: 1, maxQueue: 0 });
    const running = await host.reserve("tiny"); // the model's one sequence is busy
    const second = await post("/v1/chat/completions", chat);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("1");
    const body = await second.json();
    expect(body.error.type).toBe("rate_limit_error");
    expect(body.error.message).toMatch(/^Model 'tiny' is busy: 1 requests are running and 0 are queued\./);
    running.release();
    expect((await post("/v1/chat/completions", chat)).status).toBe(200);
  });

  it("answers 503 while a model cannot be made ready", async () => {
    const { post, host } = setup();
    host.acquire = async () => {
      throw new WrenError("not_ready", "Model 'tiny' is still loading.", { hint: "Retry shortly.", retryAfter: 2 });
    };
    const res = await post("/v1/chat/completions", chat);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await res.json()).error.message).toBe("Model 'tiny' is still loading. Retry shortly.");
  });

  it("answers unknown routes with 404 in OpenAI's shape", async () => {
    const { get } = setup();
    const res = await get("/v1/nothing");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });
});

describe("OpenAI models, completions and embeddings", () => {
  it("lists and retrieves models by id and alias", async () => {
    const { get } = setup();
    const list = await (await get("/v1/models")).json();
    expect(list).toMatchObject({ object: "list", data: [{ id: "tiny", object: "model", owned_by: "wren" }] });
    expect((await (await get("/v1/models/tiny-alias")).json()).id).toBe("tiny");
    expect((await get("/v1/models/none")).status).toBe(404);
  });

  it("completes raw text, streamed and not", async () => {
    const { post, model } = setup();
    const res = await post("/v1/completions", { model: "tiny", prompt: "Once", max_tokens: 100 });
    const json = await res.json();
    expect(json.object).toBe("text_completion");
    expect(json.choices[0].text).toBe(REPLY);
    expect(model.requests.at(-1)).toMatchObject({ rawPrompt: "Once", messages: [], maxOutputTokens: 100 });
    const events = parseSse(await (await post("/v1/completions", { model: "tiny", prompt: "Once", stream: true })).text());
    expect(events.slice(0, -1).map((e) => JSON.parse(e.data).choices[0].text).join("")).toBe(REPLY);
    expect((await post("/v1/completions", { model: "tiny", prompt: "x", echo: true })).status).toBe(400);
  });

  it("embeds as floats and as base64 float32", async () => {
    const { post } = setup();
    const floats = await (await post("/v1/embeddings", { model: "tiny", input: ["ab", "abc"] })).json();
    expect(floats.data.map((d: { embedding: number[] }) => d.embedding)).toEqual([unit([2, 0.5, -1]), unit([3, 0.5, -1])]);
    // `dimensions` shortens, then scales to length 1 again, as OpenAI's does.
    const short = await (await post("/v1/embeddings", { model: "tiny", input: "ab", dimensions: 2 })).json();
    expect(short.data[0].embedding).toEqual(unit([2, 0.5]));
    expect(floats.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    const b64 = await (await post("/v1/embeddings", { model: "tiny", input: "ab", encoding_format: "base64" })).json();
    const buf = Buffer.from(b64.data[0].embedding, "base64");
    expect([...new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)]).toEqual([...new Float32Array(unit([2, 0.5, -1]))]);
  });
});
