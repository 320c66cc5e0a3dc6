/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON, checked by the assertions */
import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse, type Json, type JsonResponse } from "../../test/helpers/sse.js";
import { createServerApp } from "./app.js";

const REPLY = "Hello from a scripted model.";
const weather = { type: "function", name: "weather", description: "The weather in a city.", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

function setup(script?: (req: ChatRequest) => ReturnType<ConstructorParameters<typeof ScriptedModel>[1]>) {
  const model = new ScriptedModel(
    "tiny",
    script ??
      ((req) => {
        if (req.toolChoice && typeof req.toolChoice === "object") return { toolCalls: [{ name: req.toolChoice.toolName, input: '{"city":"Paris"}' }] };
        return { text: REPLY, inputTokens: 7 };
      }),
  );
  const host = new ScriptedHost(new Map([["tiny", model]]));
  const { app } = createServerApp({ host });
  const send = (method: string, path: string, body?: unknown): Promise<JsonResponse> =>
    Promise.resolve(
      app.request(path, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) }),
    );
  const post = (body: unknown, path = "/v1/responses") => send("POST", path, body);
  return { model, host, send, post };
}

const events = async (res: Response): Promise<Json[]> =>
  parseSse(await res.text()).map((e) => {
    const data = JSON.parse(e.data);
    expect(e.event).toBe(data.type);
    return data;
  });

describe("POST /v1/responses", () => {
  it("answers a string input with a completed response: one message, usage with cached tokens, provenance", async () => {
    const { post, host } = setup();
    const res = await post({ model: "tiny", input: "Say hello.", metadata: { run: "7" }, prompt_cache_key: "k", include: ["reasoning.encrypted_content"], reasoning: { effort: "low" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-wren-provider")).toBe("local");
    const body = await res.json();
    expect(body).toMatchObject({ object: "response", status: "completed", model: "tiny", error: null, incomplete_details: null, metadata: { run: "7" }, store: true, previous_response_id: null });
    expect(body.id).toMatch(/^resp_/);
    expect(body.output).toHaveLength(1);
    expect(body.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: REPLY, annotations: [] }] });
    expect(body.usage).toEqual({ input_tokens: 7, input_tokens_details: { cached_tokens: 0 }, output_tokens: body.usage.output_tokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 7 + body.usage.output_tokens });
    expect(body.usage.output_tokens).toBeGreaterThan(0);
    expect(body.wren_provenance).toMatchObject({ provider: "local", model: "tiny", reason: "direct" });
    expect(host.held).toBe(0);
  });

  it("maps instructions, every input item kind, tools, tool_choice, text.format and sampling into the canonical request", async () => {
    const { post, model } = setup();
    const schema = { type: "object", properties: { a: { type: "number" } }, required: ["a"] };
    const res = await post({
      model: "tiny",
      instructions: "Be brief.",
      input: [
        { role: "developer", content: "Answer in English." },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Look:" }, { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "auto" }] },
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "opaque" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking.", annotations: [] }] },
        { type: "function_call", call_id: "call_a", name: "weather", arguments: '{"city":"Oslo"}' },
        { type: "function_call", call_id: "call_b", name: "weather", arguments: '{"city":"Rome"}' },
        { type: "function_call", call_id: "call_c", name: "now", arguments: "" },
        { type: "function_call_output", call_id: "call_a", output: "cold" },
        { type: "function_call_output", call_id: "call_b", output: [{ type: "input_text", text: "warm" }] },
        { role: "user", content: "Thanks." },
      ],
      tools: [weather, { type: "web_search" }, { type: "custom", name: "apply_patch" }],
      tool_choice: "auto",
      parallel_tool_calls: false,
      text: { format: { type: "json_schema", name: "a", schema, strict: true }, verbosity: "low" },
      temperature: 0.5,
      top_p: 0.9,
      max_output_tokens: 64,
      truncation: "disabled",
      store: false,
    });
    expect(res.status).toBe(200);
    const req = model.requests.at(-1)!;
    expect(req.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "system", content: "Answer in English." },
      { role: "user", content: [{ type: "text", text: "Look:" }, { type: "image", data: "data:image/png;base64,AAAA" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool-call", toolCallId: "call_a", toolName: "weather", input: { city: "Oslo" } },
          { type: "tool-call", toolCallId: "call_b", toolName: "weather", input: { city: "Rome" } },
          { type: "tool-call", toolCallId: "call_c", toolName: "now", input: {} },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "call_a", toolName: "weather", output: "cold" },
          { type: "tool-result", toolCallId: "call_b", toolName: "weather", output: "warm" },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Thanks." }] },
    ]);
    expect(req).toMatchObject({ temperature: 0.5, topP: 0.9, maxOutputTokens: 64, toolChoice: "auto", responseFormat: { type: "json", name: "a", schema } });
    expect(req.tools).toEqual([{ name: "weather", description: "The weather in a city.", inputSchema: weather.parameters }]);
    const body = await res.json();
    expect(body.tools).toEqual([{ type: "function", name: "weather", description: "The weather in a city.", parameters: weather.parameters, strict: true }]);
    expect(body).toMatchObject({ parallel_tool_calls: false, store: false, temperature: 0.5, text: { format: { type: "json_schema", name: "a" }, verbosity: "low" } });
  });

  it("streams the documented events in order, numbered from 0, with the same text as non-streamed", async () => {
    const { post } = setup();
    const list = await events(await post({ model: "tiny", input: "Say hello.", stream: true }));
    const types = list.map((e) => e.type);
    const deltas = types.filter((t) => t === "response.output_text.delta").length;
    expect(deltas).toBeGreaterThan(1);
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      ...Array<string>(deltas).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(list.map((e) => e.sequence_number)).toEqual(list.map((_, i) => i));
    expect(list[0].response).toMatchObject({ status: "in_progress", output: [], usage: null });
    const text = list.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta).join("");
    expect(text).toBe(REPLY);
    const itemId = list[2].item.id;
    expect(list.filter((e) => "item_id" in e).every((e) => e.item_id === itemId && e.output_index === 0)).toBe(true);
    expect(list.find((e) => e.type === "response.output_text.done").text).toBe(REPLY);
    const done = list.at(-1);
    expect(done.response).toMatchObject({ status: "completed", output: [{ id: itemId, status: "completed", content: [{ text: REPLY }] }] });
    expect(done.response.usage.input_tokens).toBe(7);
    expect(done.response.wren_provenance).toMatchObject({ provider: "local" });
  });

  it("returns a forced function call as a function_call item, streamed with argument events", async () => {
    const { post, model } = setup();
    const body = { model: "tiny", input: "Weather in Paris?", tools: [weather], tool_choice: { type: "function", name: "weather" } };
    const full = await (await post(body)).json();
    expect(model.requests.at(-1)!.toolChoice).toEqual({ type: "tool", toolName: "weather" });
    expect(full.status).toBe("completed");
    expect(full.output).toEqual([{ type: "function_call", id: expect.stringMatching(/^fc_/), call_id: "call_0", name: "weather", arguments: '{"city":"Paris"}', status: "completed" }]);
    const list = await events(await post({ ...body, stream: true }));
    expect(list.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(list[2].item).toMatchObject({ type: "function_call", call_id: "call_0", name: "weather", arguments: "", status: "in_progress" });
    expect(list[4]).toMatchObject({ name: "weather", arguments: '{"city":"Paris"}' });
    expect(list[6].response.output[0]).toMatchObject({ type: "function_call", arguments: '{"city":"Paris"}', status: "completed" });
  });

  it("functions inside a namespace tool are offered flat, and a call of one names its namespace", async () => {
    const { post, model } = setup();
    const agents = { type: "namespace", name: "multi_agent_v1", description: "Sub-agents.", tools: [{ ...weather, name: "spawn_agent" }, { type: "web_search" }] };
    const body = { model: "tiny", input: "hi", tools: [weather, agents], tool_choice: { type: "function", name: "spawn_agent" } };
    const full = await (await post(body)).json();
    expect(model.requests.at(-1)!.tools!.map((t) => t.name)).toEqual(["weather", "spawn_agent"]);
    expect(full.output[0]).toMatchObject({ type: "function_call", name: "spawn_agent", namespace: "multi_agent_v1" });
    expect(full.tools[1]).toMatchObject({ type: "namespace", name: "multi_agent_v1", tools: [{ type: "function", name: "spawn_agent" }] });
    const list = await events(await post({ ...body, stream: true }));
    expect(list.find((e) => e.type === "response.output_item.added").item).toMatchObject({ name: "spawn_agent", namespace: "multi_agent_v1" });
    const plain = await (await post({ ...body, tool_choice: { type: "function", name: "weather" } })).json();
    expect(plain.output[0].namespace).toBeUndefined();
  });

  it("parallel_tool_calls false keeps the first of the model's calls", async () => {
    const { post } = setup(() => ({ toolCalls: [{ name: "weather", input: '{"city":"Oslo"}' }, { name: "weather", input: '{"city":"Rome"}' }] }));
    const both = await (await post({ model: "tiny", input: "hi", tools: [weather] })).json();
    expect(both.output.map((o: Json) => o.arguments)).toEqual(['{"city":"Oslo"}', '{"city":"Rome"}']);
    const one = await (await post({ model: "tiny", input: "hi", tools: [weather], parallel_tool_calls: false })).json();
    expect(one.output.map((o: Json) => o.arguments)).toEqual(['{"city":"Oslo"}']);
  });

  it("allowed_tools narrows the tools offered; a hosted tool_choice or an unknown function is refused", async () => {
    const { post, model } = setup();
    const other = { ...weather, name: "time" };
    await post({ model: "tiny", input: "hi", tools: [weather, other], tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "time" }] } });
    expect(model.requests.at(-1)!.tools!.map((t) => t.name)).toEqual(["time"]);
    expect(model.requests.at(-1)!.toolChoice).toBe("required");
    const hosted = await post({ model: "tiny", input: "hi", tools: [weather], tool_choice: { type: "web_search_preview" } });
    expect(hosted.status).toBe(400);
    expect((await hosted.json()).error).toMatchObject({ param: "tool_choice", code: "unsupported", type: "invalid_request_error" });
    const incomplete = await post({ model: "tiny", input: "hi", tools: [weather], tool_choice: { type: "allowed_tools", tools: "weather" } });
    expect((await incomplete.json()).error).toMatchObject({ param: "tool_choice", message: expect.stringMatching(/needs mode/) });
    const unknown = await post({ model: "tiny", input: "hi", tools: [weather], tool_choice: { type: "function", name: "nope" } });
    expect((await unknown.json()).error.message).toMatch(/'nope', which is not among the function tools/);
  });

  it("ends with response.incomplete when the output bound is reached", async () => {
    const { post } = setup();
    const full = await (await post({ model: "tiny", input: "hi", max_output_tokens: 2 })).json();
    expect(full).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, max_output_tokens: 2 });
    expect(full.output[0].status).toBe("incomplete");
    const list = await events(await post({ model: "tiny", input: "hi", max_output_tokens: 2, stream: true }));
    expect(list.at(-1)).toMatchObject({ type: "response.incomplete", response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } } });
  });
  it("a client that closes the stream stops the model and frees its sequence", async () => {
    // A second between tokens: the client reads the first and leaves long before the next.
    const { post, host } = setup(() => ({ text: "a long answer that is never read to the end", chunk: 1, delayMs: 1000 }));
    const res = await post({ model: "tiny", input: "hi", stream: true });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(parseSse(first)[0]!.event).toBe("response.created");
    expect(host.held).toBe(1);
    await reader.cancel();
    expect(host.held).toBe(0);
  });
});

describe("stored responses", () => {
  it("a response being streamed is in_progress for GET, and cannot be continued from until it completes", async () => {
    // A second between tokens: the checks below run while the model waits for its next one.
    const { post, send } = setup(() => ({ text: "abc", chunk: 1, delayMs: 1000 }));
    const res = await post({ model: "tiny", input: "hi", stream: true });
    const reader = res.body!.getReader();
    const id = JSON.parse(parseSse(new TextDecoder().decode((await reader.read()).value))[0]!.data).response.id;
    expect(await (await send("GET", `/v1/responses/${id}`)).json()).toMatchObject({ id, status: "in_progress", output: [], usage: null });
    const early = await post({ model: "tiny", previous_response_id: id, input: "more" });
    expect(early.status).toBe(400);
    expect((await early.json()).error).toMatchObject({ param: "previous_response_id", message: expect.stringMatching(/still in progress/) });
    while (!(await reader.read()).done);
    expect(await (await send("GET", `/v1/responses/${id}`)).json()).toMatchObject({ id, status: "completed", output: [{ content: [{ text: "abc" }] }] });
  });


  it("previous_response_id continues the conversation without the earlier instructions; store:false keeps nothing", async () => {
    const { post, model, send } = setup();
    const first = await (await post({ model: "tiny", instructions: "Be brief.", input: "Say hello." })).json();
    const second = await (await post({ model: "tiny", previous_response_id: first.id, input: [{ role: "user", content: "Again." }], stream: true })).text();
    expect(second).toContain("response.completed");
    expect(model.requests.at(-1)!.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Say hello." }] },
      { role: "assistant", content: [{ type: "text", text: REPLY }] },
      { role: "user", content: [{ type: "text", text: "Again." }] },
    ]);
    const secondId = JSON.parse(parseSse(second)[0]!.data).response.id;
    const got = await (await send("GET", `/v1/responses/${secondId}`)).json();
    expect(got).toMatchObject({ id: secondId, status: "completed", previous_response_id: first.id, output: [{ content: [{ text: REPLY }] }] });

    const unstored = await (await post({ model: "tiny", input: "hi", store: false })).json();
    const res = await post({ model: "tiny", previous_response_id: unstored.id, input: "again" });
    expect(res.status).toBe(404);
    const error = (await res.json()).error;
    expect(error).toEqual({ message: expect.stringMatching(new RegExp(`^Response with id '${unstored.id}' not found\\.`)), type: "invalid_request_error", param: "previous_response_id", code: "not_found" });
    expect((await send("GET", `/v1/responses/${unstored.id}`)).status).toBe(404);
  });

  it("a function call round trip by previous_response_id gives the tool result its call", async () => {
    let turn = 0;
    const { post, model } = setup(() => (turn++ === 0 ? { toolCalls: [{ name: "weather", input: '{"city":"Oslo"}' }] } : { text: "It is cold." }));
    const first = await (await post({ model: "tiny", input: "Weather in Oslo?", tools: [weather] })).json();
    const call = first.output[0];
    expect(call).toMatchObject({ type: "function_call", name: "weather" });
    const second = await (await post({ model: "tiny", previous_response_id: first.id, tools: [weather], input: [{ type: "function_call_output", call_id: call.call_id, output: "cold" }] })).json();
    expect(second.output[0].content[0].text).toBe("It is cold.");
    expect(model.requests.at(-1)!.messages.slice(1)).toEqual([
      { role: "assistant", content: [{ type: "tool-call", toolCallId: call.call_id, toolName: "weather", input: { city: "Oslo" } }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: call.call_id, toolName: "weather", output: "cold" }] },
    ]);
  });

  it("lists input items with ids (newest first by default, paged), resolves item_reference, deletes, and refuses cancel", async () => {
    const { post, send, model } = setup();
    const input = [
      { role: "user", content: "one" },
      { type: "message", id: "msg_mine", role: "user", content: [{ type: "input_text", text: "two" }] },
      { type: "reasoning", summary: [] },
    ];
    const r = await (await post({ model: "tiny", input })).json();
    const page = await (await send("GET", `/v1/responses/${r.id}/input_items`)).json();
    expect(page).toMatchObject({ object: "list", has_more: false, first_id: "msg_mine" });
    expect(page.data).toEqual([
      { type: "message", id: "msg_mine", role: "user", content: [{ type: "input_text", text: "two" }] },
      { type: "message", id: page.last_id, role: "user", content: [{ type: "input_text", text: "one" }] },
    ]);
    const asc = await (await send("GET", `/v1/responses/${r.id}/input_items?order=asc&limit=1`)).json();
    expect(asc).toMatchObject({ data: [{ id: page.last_id }], has_more: true });
    const after = await (await send("GET", `/v1/responses/${r.id}/input_items?order=asc&after=${page.last_id}`)).json();
    expect(after.data.map((i: Json) => i.id)).toEqual(["msg_mine"]);
    expect((await send("GET", `/v1/responses/${r.id}/input_items?limit=0`)).status).toBe(400);

    await post({ model: "tiny", input: [{ type: "item_reference", id: "msg_mine" }, { type: "item_reference", id: r.output[0].id }] });
    expect(model.requests.at(-1)!.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "two" }] },
      { role: "assistant", content: [{ type: "text", text: REPLY }] },
    ]);
    const missing = await post({ model: "tiny", input: [{ type: "item_reference", id: "msg_gone" }] });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ param: "input.0", code: "not_found" });

    const cancel = await send("POST", `/v1/responses/${r.id}/cancel`);
    expect(cancel.status).toBe(400);
    expect((await cancel.json()).error.message).toMatch(/Only background responses can be cancelled/);
    expect(await (await send("DELETE", `/v1/responses/${r.id}`)).json()).toEqual({ id: r.id, object: "response", deleted: true });
    for (const [method, path] of [["GET", `/v1/responses/${r.id}`], ["DELETE", `/v1/responses/${r.id}`], ["POST", `/v1/responses/${r.id}/cancel`], ["GET", `/v1/responses/${r.id}/input_items`]] as const) {
      const res = await send(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await res.json()).error).toMatchObject({ type: "invalid_request_error", code: "not_found" });
    }
  });
});

describe("POST /v1/responses/input_tokens", () => {
  it("counts the request's input with the model's counter, the previous response's conversation included", async () => {
    const { post } = setup();
    expect(await (await post({ model: "tiny", instructions: "Be brief.", input: "hi" }, "/v1/responses/input_tokens")).json()).toEqual({ object: "response.input_tokens", input_tokens: 6 });
    const first = await (await post({ model: "tiny", input: "hi" })).json();
    expect((await (await post({ model: "tiny", previous_response_id: first.id, input: "again" }, "/v1/responses/input_tokens")).json()).input_tokens).toBe(9);
    expect((await post({ model: "tiny", previous_response_id: "resp_gone", input: "x" }, "/v1/responses/input_tokens")).status).toBe(404);
  });
});

describe("Responses API errors and truncation", () => {
  it("refuses what it cannot do with OpenAI's error shape and status; fields it does not know are ignored", async () => {
    const { post } = setup();
    const lenient = await post({ model: "tiny", input: "hi", client_metadata: { "x-codex-turn": "1" }, some_future_field: { a: 1 } });
    expect(lenient.status).toBe(200);
    const cases: Array<[unknown, number, RegExp, string]> = [
      [{ model: "tiny", input: "hi", background: true }, 400, /Background responses/, "background"],
      [{ model: "tiny", input: "hi", conversation: "conv_1" }, 400, /Conversations/, "conversation"],
      [{ model: "tiny", input: [{ role: "user", content: [{ type: "input_file", file_id: "file_1" }] }] }, 400, /input_file/, "input.0.content.0"],
      [{ model: "tiny", input: [{ role: "user", content: [{ type: "input_video" }] }] }, 400, /expected a content part/, "input.0.content.0.type"],
      [{ model: "tiny", input: [{ type: "function_call", call_id: "c", name: "f", arguments: "{oops" }] }, 400, /not valid JSON/, "input.0.arguments"],
      [{ model: "tiny", input: [] }, 400, /no input/, "input"],
      [{ model: "tiny", input: "hi", temperature: 3 }, 400, /temperature/, "temperature"],
      [{ model: "tiny", input: "hi", tools: [{ type: "function", name: "bad name", parameters: {} }] }, 400, /tool name/, "tools.0.name"],
      [{ model: "nope", input: "hi" }, 404, /Model 'nope' is not served here/, "model"],
    ];
    for (const [body, status, message, param] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const json = await res.json();
      expect(Object.keys(json)).toEqual(["error"]);
      expect(json.error.message).toMatch(message);
      expect(json.error.param).toBe(param);
    }
  });

  it("truncation auto drops the oldest items until the prompt fits; disabled refuses it", async () => {
    const { post, model } = setup((req) =>
      req.messages.length > 3 ? { fail: new WrenError("context_overflow", "The prompt does not fit the model's context.") } : { text: REPLY },
    );
    const input = ["a", "b", "c", "d", "e", "f"].map((t) => ({ role: "user", content: t }));
    const refused = await post({ model: "tiny", instructions: "Be brief.", input });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe("context_length_exceeded");
    const res = await post({ model: "tiny", instructions: "Be brief.", input, truncation: "auto" });
    expect(res.status).toBe(200);
    expect((await res.json()).truncation).toBe("auto");
    const sent = model.requests.at(-1)!.messages;
    expect(sent[0]).toEqual({ role: "system", content: "Be brief." });
    expect(sent.at(-1)).toEqual({ role: "user", content: [{ type: "text", text: "f" }] });
    expect(sent.length).toBeLessThanOrEqual(3);
  });
});
