/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON, checked by the assertions */
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse, type JsonResponse } from "../../test/helpers/sse.js";
import type { ChatRequest, StreamPart } from "../protocol/index.js";
import { createServerApp } from "./app.js";

const REPLY = "Hi from Anthropic's side.";

function setup() {
  const model = new ScriptedModel("tiny", (req) =>
    req.toolChoice && typeof req.toolChoice === "object"
      ? { text: "Let me check.", toolCalls: [{ name: req.toolChoice.toolName, input: '{"city":"Oslo"}' }] }
      : { text: REPLY, inputTokens: 9 },
  );
  const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]])) });
  const post = (path: string, body: unknown): Promise<JsonResponse> =>
    Promise.resolve(app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }));
  const get = (path: string): Promise<JsonResponse> => Promise.resolve(app.request(path));
  return { app, get, model, post };
}

const base = { model: "tiny", max_tokens: 64, messages: [{ role: "user", content: "hi" }] };
const tools = [{ name: "weather", description: "Weather of a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];

describe("Anthropic messages", () => {
  it("answers with system, multi-turn history and tool results converted", async () => {
    const { post, model } = setup();
    const res = await post("/v1/messages", {
      ...base,
      system: [{ type: "text", text: "Be kind." }],
      stop_sequences: ["END"],
      temperature: 0.2,
      top_k: 5,
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [{ type: "text", text: "checking" }, { type: "tool_use", id: "tu_1", name: "weather", input: { city: "Oslo" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "tu_1", content: "cold" }, { type: "text", text: "and?" }] },
      ],
    });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json).toMatchObject({ type: "message", role: "assistant", model: "tiny", content: [{ type: "text", text: REPLY }], stop_reason: "end_turn", stop_sequence: null });
    expect(json.id).toMatch(/^msg_/);
    expect(json.usage).toMatchObject({ input_tokens: 9, output_tokens: 7 });
    const req = model.requests.at(-1)!;
    expect(req).toMatchObject({ maxOutputTokens: 64, stopSequences: ["END"], temperature: 0.2, topK: 5 });
    expect(req.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "user"]);
    expect(req.messages[3]).toEqual({ role: "tool", content: [{ type: "tool-result", toolCallId: "tu_1", toolName: "weather", output: "cold" }] });
  });

  it("streams the exact event order with consistent block indexes", async () => {
    const { post } = setup();
    const res = await post("/v1/messages", { ...base, stream: true, tools, tool_choice: { type: "tool", name: "weather" } });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await res.text());
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    const names = events.map((e) => e.event);
    const deltas = names.filter((n) => n === "content_block_delta").length;
    expect(names).toEqual([
      "message_start",
      "content_block_start",
      ...Array<string>(deltas - 1).fill("content_block_delta"),
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const data = events.map((e) => JSON.parse(e.data));
    const indexes = data.filter((d) => "index" in d).map((d) => `${d.type}:${d.index}`);
    expect(indexes).toEqual([
      "content_block_start:0",
      ...Array<string>(deltas - 1).fill("content_block_delta:0"),
      "content_block_stop:0",
      "content_block_start:1",
      "content_block_delta:1",
      "content_block_stop:1",
    ]);
    const text = data.filter((d) => d.delta?.type === "text_delta").map((d) => d.delta.text).join("");
    expect(text).toBe("Let me check.");
    expect(data[1].content_block).toEqual({ type: "text", text: "" });
    const tool = data.find((d) => d.type === "content_block_start" && d.index === 1);
    expect(tool.content_block).toMatchObject({ type: "tool_use", name: "weather", input: {} });
    const json = data.find((d) => d.delta?.type === "input_json_delta");
    expect(JSON.parse(json.delta.partial_json)).toEqual({ city: "Oslo" });
    expect(data.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });
    expect(data[0].message).toMatchObject({ role: "assistant", content: [], stop_reason: null });
  });

  it("streams message_start with the model's own count of the prompt, cache reads apart, and never counts the prompt again for it", async () => {
    /** A local model's stream: its prompt's tokens and cache reads known before the first token. */
    class PromptCounting extends ScriptedModel {
      override async *doStream(request: ChatRequest, options?: { signal?: AbortSignal }): AsyncIterable<StreamPart> {
        for await (const part of super.doStream(request, options)) {
          yield part.type === "finish" ? { ...part, usage: { ...part.usage, cachedInputTokens: 10 } } : part;
          if (part.type === "stream-start") yield { type: "input-usage", usage: { inputTokens: 12, cachedInputTokens: 10 } };
        }
      }
    }
    const host = new ScriptedHost(new Map([["tiny", new PromptCounting("tiny", () => ({ text: REPLY, inputTokens: 12 }))]]));
    let counted = 0;
    const acquire = host.acquire.bind(host);
    host.acquire = async (id: string) => {
      const lease = await acquire(id);
      const tokens = { countTokens: async () => (counted += 1) };
      return { ...lease, model: { ...lease.model, tokens } };
    };
    const { app } = createServerApp({ host });
    const res = await app.request("/v1/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...base, stream: true }) });
    const data = parseSse(await res.text()).map((e) => JSON.parse(e.data));
    expect(data[0]).toMatchObject({ type: "message_start", message: { usage: { input_tokens: 2, cache_read_input_tokens: 10, output_tokens: 0 } } });
    expect(data.at(-2)).toMatchObject({ type: "message_delta", usage: { input_tokens: 2, cache_read_input_tokens: 10 } });
    expect(counted).toBe(0);
  });

  it("counts tokens", async () => {
    const { post } = setup();
    const res = await post("/v1/messages/count_tokens", { model: "tiny", messages: [{ role: "user", content: "hi" }] });
    expect(await res.json()).toEqual({ input_tokens: 3 });
  });

  it("gives bad requests Anthropic's error shape and keeps serving", async () => {
    const { post } = setup();
    const cases: Array<[unknown, number, string, RegExp]> = [
      ["{", 400, "invalid_request_error", /not valid JSON/],
      [{ model: "tiny", messages: base.messages }, 400, "invalid_request_error", /max_tokens/],
      [{ ...base, max_tokens: "many" }, 400, "invalid_request_error", /max_tokens/],
      [{ ...base, messages: [{ role: "user", content: [{ type: "text" }] }] }, 400, "invalid_request_error", /messages\.0\.content\.0\.text/],
      [{ ...base, messages: [{ role: "robot", content: "hi" }] }, 400, "invalid_request_error", /messages\.0\.role/],
      [{ ...base, tools: [{ name: "has space", input_schema: {} }] }, 400, "invalid_request_error", /tool name/],
      [{ ...base, tools: [{ name: "weather" }] }, 400, "invalid_request_error", /tools\.0\.input_schema/],
      [{ ...base, output_config: { format: { type: "json_schema" } } }, 400, "invalid_request_error", /output_config\.format\.schema/],
      [{ ...base, model: "claude-nope" }, 404, "not_found_error", /claude-nope/],
    ];
    for (const [body, status, type, message] of cases) {
      const res = await post("/v1/messages", body);
      expect(res.status).toBe(status);
      const json = await res.json();
      expect(json.type).toBe("error");
      expect(json.error.type).toBe(type);
      expect(json.error.message).toMatch(message);
    }
    expect((await post("/v1/messages", base)).status).toBe(200);
  });

  it("accepts the current request shape leniently: unknown fields and block types are left out, not refused", async () => {
    const { post, model } = setup();
    const res = await post("/v1/messages", {
      ...base,
      system: [{ type: "text", text: "Be kind.", cache_control: { type: "ephemeral", ttl: "1h" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }, { type: "search_result", source: "x", title: "t", content: [] }] },
        { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig" }, { type: "redacted_thinking", data: "x" }, { type: "text", text: "hello" }] },
        { role: "system", content: "From now on, answer briefly." },
        { role: "user", content: "again" },
      ],
      thinking: { type: "adaptive" },
      output_config: { effort: "max" },
      context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
      metadata: { user_id: "user_1" },
      service_tier: "standard_only",
      container: { id: null, skills: [] },
      mcp_servers: [{ type: "url", url: "https://example.com", name: "x" }],
      cache_control: { type: "ephemeral" },
      a_field_from_next_year: { anything: true },
    });
    expect(res.status).toBe(200);
    const req = model.requests.at(-1)!;
    expect(req.messages).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "assistant", content: [{ type: "text", text: "hello" }] },
      { role: "system", content: "From now on, answer briefly." },
      { role: "user", content: [{ type: "text", text: "again" }] },
    ]);
  });

  it("takes every thinking type, on ?beta=true with an anthropic-beta header", async () => {
    const { app } = setup();
    for (const thinking of [{ type: "enabled", budget_tokens: 1024 }, { type: "disabled" }, { type: "adaptive", display: "omitted" }, { type: "between_tools" }]) {
      const res = await app.request("/v1/messages?beta=true", {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-beta": "interleaved-thinking-2025-05-14,context-management-2025-06-27" },
        body: JSON.stringify({ ...base, thinking }),
      });
      expect(res.status, JSON.stringify(thinking)).toBe(200);
    }
  });

  it("turns output_config.format into the JSON schema the answer follows", async () => {
    const { post, model } = setup();
    const schema = { type: "object", properties: { title: { type: "string" } }, required: ["title"] };
    expect((await post("/v1/messages", { ...base, output_config: { effort: "low", format: { type: "json_schema", schema } } })).status).toBe(200);
    expect(model.requests.at(-1)!.responseFormat).toEqual({ type: "json", schema });
    expect((await post("/v1/messages?beta=true", { ...base, output_format: { type: "json_schema", schema } })).status).toBe(200);
    expect(model.requests.at(-1)!.responseFormat).toEqual({ type: "json", schema });
  });

  it("gives Anthropic's client tools their documented inputs and leaves server tools out", async () => {
    const { post, model } = setup();
    const res = await post("/v1/messages", {
      ...base,
      tools: [...tools, { type: "bash_20250124", name: "bash" }, { type: "text_editor_20250728", name: "str_replace_based_edit_tool" }, { type: "web_search_20250305", name: "web_search", max_uses: 3 }],
    });
    expect(res.status).toBe(200);
    const sent = model.requests.at(-1)!.tools!;
    expect(sent.map((t) => t.name)).toEqual(["weather", "bash", "str_replace_based_edit_tool"]);
    expect(sent[1]!.inputSchema).toMatchObject({ properties: { command: { type: "string" } } });
    expect(sent[2]!.inputSchema).toMatchObject({ required: ["command", "path"] });
    const forced = await post("/v1/messages", { ...base, tools: [{ type: "web_search_20250305", name: "web_search" }], tool_choice: { type: "tool", name: "web_search" } });
    expect(forced.status).toBe(400);
    expect((await forced.json()).error).toMatchObject({ type: "invalid_request_error", message: expect.stringMatching(/web_search.*server tool/) });
  });

  it("counts tokens for the same shapes", async () => {
    const { post } = setup();
    const res = await post("/v1/messages/count_tokens?beta=true", {
      model: "tiny",
      system: [{ type: "text", text: "sys", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "hi" }, { role: "system", content: "more" }, { role: "user", content: [{ type: "container_upload", file_id: "f" }, { type: "text", text: "x" }] }],
      thinking: { type: "adaptive" },
      output_config: { effort: "high" },
      context_management: {},
      tools: [{ type: "web_fetch_20250910", name: "web_fetch" }],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ input_tokens: expect.any(Number) });
  });

  it("logs what it left out at debug level, once per kind", async () => {
    const records: Array<{ msg: string; ignored?: string[] }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        records.push(JSON.parse(chunk.toString("utf8")) as { msg: string; ignored?: string[] });
        done();
      },
    });
    const model = new ScriptedModel("tiny", () => ({ text: REPLY }));
    const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]])), logger: pino({ level: "debug" }, sink) });
    const res = await app.request("/v1/messages?beta=true", {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-beta": "context-management-2025-06-27" },
      body: JSON.stringify({
        ...base,
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }, { type: "search_result", source: "s", title: "t", content: [] }, { type: "search_result", source: "s2", title: "t", content: [] }] }],
        tools: [...tools, { type: "web_search_20250305", name: "web_search" }],
        thinking: { type: "adaptive" },
        context_management: { edits: [] },
      }),
    });
    expect(res.status).toBe(200);
    const logged = records.find((r) => r.ignored);
    expect(logged?.ignored).toEqual([
      "field context_management",
      "block search_result",
      "tool web_search_20250305 (web_search)",
      "thinking adaptive",
      "anthropic-beta context-management-2025-06-27",
    ]);
    // Thousands of unknown fields make one short line, not thousands of labels.
    records.length = 0;
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field_${i}`, i]));
    expect((await app.request("/v1/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...base, ...many }) })).status).toBe(200);
    const line = records.find((r) => r.ignored)!.ignored!;
    expect(line).toHaveLength(33);
    expect(line.at(-1)).toBe("and 4968 more");
  });

  it("warns of a PDF the model cannot read once per turn: for the message request, not for its count_tokens", async () => {
    const records: Array<{ level: number; msg: string; documents?: string[] }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        records.push(JSON.parse(chunk.toString("utf8")) as { level: number; msg: string });
        done();
      },
    });
    const model = new ScriptedModel("tiny", () => ({ text: REPLY }));
    const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]])), logger: pino({ level: "debug" }, sink) });
    const pdf = Buffer.from("%PDF-1.4\n%%EOF\n").toString("base64");
    const messages = [{ role: "user", content: [{ type: "text", text: "Summarize." }, { type: "document", title: "report.pdf", source: { type: "base64", media_type: "application/pdf", data: pdf } }] }];
    // As Claude Code sends a turn: its tokens counted, then the message itself.
    for (const path of ["/v1/messages/count_tokens?beta=true", "/v1/messages?beta=true"]) {
      const body = path.includes("count_tokens") ? { model: "tiny", messages } : { ...base, messages };
      const res = await app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(res.status, path).toBe(200);
    }
    const about = records.filter((r) => r.documents !== undefined);
    expect(about.filter((r) => r.level === 40)).toHaveLength(1);
    expect(about.find((r) => r.level === 40)?.msg).toMatch(/documents the model cannot read/);
    expect(about.find((r) => r.level === 40)?.documents?.join()).toMatch(/report\.pdf/);
  });
});
