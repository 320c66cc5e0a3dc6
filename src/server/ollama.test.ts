/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON, checked by the assertions */
import { describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import type { JsonResponse } from "../../test/helpers/sse.js";
import { createServerApp } from "./app.js";

const REPLY = "Hello, llama friend.";

function setup() {
  const model = new ScriptedModel("tiny", (req) =>
    req.tools?.length ? { toolCalls: [{ name: "weather", input: '{"city":"Lima"}' }] } : { text: REPLY, inputTokens: 4 },
  );
  const host = new ScriptedHost(new Map([["tiny", model]]));
  const { app } = createServerApp({ host, version: "1.2.3" });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> =>
    Promise.resolve(app.request(path, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }));
  const get = (path: string): Promise<JsonResponse> => Promise.resolve(app.request(path));
  return { app, get, host, model, post };
}

const lines = (text: string) => text.trim().split("\n").map((l) => JSON.parse(l));

/** What the embedding routes answer for a raw vector: scaled to length 1. */
const unit = (v: number[]): number[] => v.map((x) => x / Math.sqrt(v.reduce((sum, y) => sum + y * y, 0)));

describe("Ollama API", () => {
  it("streams chat as NDJSON and honours options.num_ctx and friends", async () => {
    const { post, model } = setup();
    const res = await post("/api/chat", {
      model: "tiny",
      messages: [{ role: "user", content: "hi" }],
      options: { num_ctx: 1024, temperature: 0, seed: 1, num_predict: 30, stop: ["\n\n"], top_k: 3, repeat_penalty: 1.1 },
      keep_alive: "5m",
    });
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const objs = lines(await res.text());
    expect(objs.slice(0, -1).map((o) => o.message.content).join("")).toBe(REPLY);
    expect(objs.at(-1)).toMatchObject({ model: "tiny", done: true, done_reason: "stop", prompt_eval_count: 4 });
    expect(objs.at(-1).eval_count).toBeGreaterThan(0);
    expect(model.requests.at(-1)).toMatchObject({ contextLength: 1024, temperature: 0, seed: 1, maxOutputTokens: 30, stopSequences: ["\n\n"], topK: 3, repeatPenalty: 1.1 });
  });

  it("answers non-streamed chat, tool calls and generate", async () => {
    const { post, model } = setup();
    const chat = await (await post("/api/chat", { model: "tiny", stream: false, messages: [{ role: "user", content: "hi" }], format: "json" })).json();
    expect(chat).toMatchObject({ message: { role: "assistant", content: REPLY }, done: true });
    expect(model.requests.at(-1)!.responseFormat).toEqual({ type: "json" });
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }];
    const called = await (await post("/api/chat", { model: "tiny", stream: false, tools, messages: [{ role: "user", content: "hi" }] })).json();
    expect(called.message.tool_calls).toEqual([{ function: { name: "weather", arguments: { city: "Lima" } } }]);
    const gen = lines(await (await post("/api/generate", { model: "tiny", prompt: "Once", system: "sys" })).text());
    expect(gen.slice(0, -1).map((o) => o.response).join("")).toBe(REPLY);
    expect(model.requests.at(-1)!.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const raw = await (await post("/api/generate", { model: "tiny", prompt: "Once", raw: true, stream: false })).json();
    expect(raw).toMatchObject({ response: REPLY, done: true });
    expect(model.requests.at(-1)!.rawPrompt).toBe("Once");
    const load = await (await post("/api/generate", { model: "tiny" })).json();
    expect(load.done_reason).toBe("load");
    // A chat with no messages loads the model too, as Ollama's does: nothing is generated.
    const asked = model.requests.length;
    for (const body of [{ model: "tiny", messages: [] }, { model: "tiny" }]) {
      expect(await (await post("/api/chat", body)).json()).toMatchObject({ model: "tiny", message: { role: "assistant", content: "" }, done: true, done_reason: "load" });
    }
    expect((await (await post("/api/chat", { model: "tiny", messages: [], keep_alive: 0 })).json()).done_reason).toBe("unload");
    expect(model.requests.length).toBe(asked);
  });

  it("lists tags, ps, show, version and embeds", async () => {
    const { get, post } = setup();
    expect(await (await get("/api/version")).json()).toEqual({ version: "0.13.5" });
    expect((await (await get("/api/tags")).json()).models[0]).toMatchObject({ name: "tiny", model: "tiny", details: { format: "gguf", family: "llama" } });
    expect((await (await get("/api/ps")).json()).models[0]).toMatchObject({ name: "tiny", context_length: 2048 });
    expect((await (await post("/api/show", { model: "tiny" })).json()).capabilities).toContain("completion");
    expect(await (await post("/api/embed", { model: "tiny", input: ["abc"] })).json()).toMatchObject({ model: "tiny", embeddings: [unit([3, 0.5, -1])] });
    // The older /api/embeddings answers the model's vector as it is, as Ollama's does.
    expect(await (await post("/api/embeddings", { model: "tiny", prompt: "ab" })).json()).toEqual({ embedding: [2, 0.5, -1] });
  });

  it("shows the model's chat template and its effective parameters, as Ollama's /api/show does", async () => {
    const { host, post } = setup();
    const template = "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}";
    Object.assign(host.infos[0]!, { chatTemplate: true, template });
    const show = await (await post("/api/show", { model: "tiny" })).json();
    expect(show.template).toBe(template);
    expect(show.parameters).toBe(`num_ctx${" ".repeat(24)}2048`);
    // A model without a chat template has Ollama's template for that, whatever text is known.
    Object.assign(host.infos[0]!, { chatTemplate: false });
    expect((await (await post("/api/show", { model: "tiny" })).json()).template).toBe("{{ .Prompt }}");
  });

  it("says model management is not offered when the host's models are fixed", async () => {
    const { app } = setup();
    const calls: Array<[string, string, unknown]> = [
      ["POST", "/api/pull", { name: "hf:org/repo:Q4_K_M" }],
      ["POST", "/api/create", { model: "x", from: "/models/x.gguf" }],
      ["POST", "/api/copy", { source: "tiny", destination: "x" }],
      ["DELETE", "/api/delete", { name: "tiny" }],
    ];
    for (const [method, path, body] of calls) {
      const res = await app.request(path, { method, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/models are fixed/) });
    }
  });

  it("answers errors as {error} with the right status and keeps serving", async () => {
    const { post } = setup();
    const cases: Array<[unknown, number, RegExp]> = [
      ["nope{", 400, /not valid JSON/],
      [{ model: "tiny", messages: [{ role: "user", content: 5 }] }, 400, /messages\.0\.content/],
      [{ model: "tiny", options: { num_ctx: "big" } }, 400, /num_ctx/],
      [{ model: "ghost", messages: [] }, 404, /ghost/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post("/api/chat", body);
      expect(res.status).toBe(status);
      const json = await res.json();
      expect(Object.keys(json)).toEqual(["error"]);
      expect(json.error).toMatch(message);
    }
    const ok = await post("/api/chat", { model: "tiny", stream: false, messages: [{ role: "user", content: "hi" }], unknown_field: 1 });
    expect(ok.status).toBe(200);
  });

  it("refuses tools for a model without a chat template, as /api/show says and Ollama refuses them, without asking the model", async () => {
    const { host, model, post } = setup();
    Object.assign(host.infos[0]!, { chatTemplate: false });
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }];
    const messages = [{ role: "user", content: "hi" }];
    expect((await (await post("/api/show", { model: "tiny" })).json()).capabilities).not.toContain("tools");
    const asked = model.requests.length;
    for (const stream of [true, false]) {
      const res = await post("/api/chat", { model: "tiny", messages, tools, stream });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/^"tiny" does not support tools/);
    }
    expect(model.requests.length).toBe(asked);
    // Without tools it answers; with a chat template, tools are offered to the model.
    expect((await post("/api/chat", { model: "tiny", messages, stream: false })).status).toBe(200);
    Object.assign(host.infos[0]!, { chatTemplate: true });
    expect((await (await post("/api/chat", { model: "tiny", messages, tools, stream: false })).json()).message.tool_calls).toHaveLength(1);
  });

  it("answers an unknown model with 404 before refusing think, as Ollama does, on /api/chat and /api/generate", async () => {
    const { post } = setup();
    const messages = [{ role: "user", content: "hi" }];
    for (const [path, body] of [
      ["/api/chat", { model: "ghost", messages, think: true }],
      ["/api/chat", { model: "ghost", messages, think: "high", stream: false }],
      ["/api/generate", { model: "ghost", prompt: "Once", think: true }],
      ["/api/generate", { model: "ghost", prompt: "Once", think: true, raw: true }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(404);
      expect((await res.json()).error).toMatch(/'ghost'/);
    }
    // A model that is served is still refused for thinking.
    const known = await post("/api/chat", { model: "tiny", messages, think: true });
    expect(known.status).toBe(400);
    expect((await known.json()).error).toMatch(/^"tiny" does not support thinking/);
  });
});
