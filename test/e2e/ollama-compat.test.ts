import { statSync } from "node:fs";
import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";
import { parseSse, type Json } from "../helpers/sse.js";

describe.runIf(hasSharedModels)("the Ollama endpoints clients check, on real models", () => {
  let server: RunningServer;
  let ollama: Ollama;
  const loaded = async (): Promise<string[]> => (await ollama.ps()).models.map((m) => m.name);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startServer({
      models: [
        { path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 },
        { path: sharedModels.chat, id: "chat", contextSize: 512, sequences: 1 },
      ],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      ollamaVersion: "0.13.9",
    });
    ollama = new Ollama({ host: server.url });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("reports the configured version, and show/tags carry what the GGUF header says", async () => {
    expect(await ollama.version()).toEqual({ version: "0.13.9" });
    const stories = await ollama.show({ model: "stories" });
    // No chat template: a completion model, whose template is the prompt itself.
    expect(stories.capabilities).toEqual(["completion"]);
    expect(stories.template).toBe("{{ .Prompt }}");
    expect(stories.details).toMatchObject({ format: "gguf", family: "llama", families: ["llama"], parameter_size: expect.stringMatching(/^\d+\.\d+K$/) as string });
    const chat = await ollama.show({ model: "chat" });
    expect(chat.capabilities).toEqual(["completion", "tools"]);
    // The GGUF's own chat template (tokenizer.chat_template), ChatML for this model.
    expect(chat.template).toContain("<|im_start|>");

    const tags = (await ollama.list()).models;
    expect(tags.map((m) => m.name)).toEqual(["stories", "chat"]);
    const tag = tags[0]!;
    expect(tag.size).toBe(statSync(sharedModels.stories).size);
    expect(tag.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(tag.details.quantization_level).not.toBe("");
    expect(tag.details.parameter_size).toBe(stories.details.parameter_size);
    expect(new Date(tag.modified_at).getTime()).toBe(statSync(sharedModels.stories).mtime.getTime());
  });

  it("continues a prompt to a model with no chat template as it is, as its template {{ .Prompt }} says", async () => {
    const plain = await ollama.generate({ model: "stories", prompt: "Once upon a time", options: { num_predict: 8, temperature: 0 } });
    const raw = await ollama.generate({ model: "stories", prompt: "Once upon a time", raw: true, options: { num_predict: 8, temperature: 0 } });
    expect(plain.prompt_eval_count).toBe(raw.prompt_eval_count);
    expect(plain.response).toBe(raw.response);
    expect(plain.prompt_eval_count).toBeLessThan(10);
  });

  it("keep_alive: 0 unloads after the request, a duration sets the expiry, a load with 0 unloads", async () => {
    const reply = await ollama.chat({ model: "chat", messages: [{ role: "user", content: "hi" }], keep_alive: 0 });
    expect(reply.message.content).toBe(CHAT_MODEL_REPLY);
    expect(await loaded()).not.toContain("chat");

    const before = Date.now();
    const load = await ollama.generate({ model: "chat", prompt: "", keep_alive: "10m" });
    expect(load.done_reason).toBe("load");
    const ps = (await ollama.ps()).models.find((m) => m.name === "chat");
    const expires = new Date(ps!.expires_at).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 600_000);

    // Kept loaded (negative): Ollama's expiry is its longest duration away, some 292 years, which `ollama ps` shows as Forever.
    await ollama.generate({ model: "chat", prompt: "", keep_alive: -1 });
    const forever = new Date((await ollama.ps()).models.find((m) => m.name === "chat")!.expires_at).getTime();
    expect(forever).toBeGreaterThan(Date.now() + 290 * 365 * 86_400_000);

    const unload = await ollama.generate({ model: "chat", prompt: "", keep_alive: 0 });
    expect(unload.done_reason).toBe("unload");
    expect(await loaded()).not.toContain("chat");

    await ollama.generate({ model: "stories", prompt: "Once", raw: true, options: { num_predict: 2 }, keep_alive: 300 });
    const storiesExpiry = new Date((await ollama.ps()).models.find((m) => m.name === "stories")!.expires_at).getTime();
    expect(storiesExpiry).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(storiesExpiry).toBeGreaterThan(Date.now() + 200_000);

    const embedded = await ollama.embed({ model: "stories", input: "Once", keep_alive: 0 });
    expect(embedded.embeddings[0]!.length).toBeGreaterThan(0);
    expect(await loaded()).not.toContain("stories");

    const bad = await post("/api/chat", { model: "chat", messages: [], keep_alive: "soon" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining('keep_alive "soon" is not a duration') as string });
  });

  it("cuts an /api/embed input longer than the context to fit, as Ollama does by default, and refuses it with truncate: false", async () => {
    const long = "word ".repeat(2000);
    const refused = await ollama.embed({ model: "chat", input: long, truncate: false }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status_code: 400, error: expect.stringMatching(/^the input length exceeds the context length/) as string });
    const room = Number(/can hold \((\d+) tokens\)/.exec((refused as { error: string }).error)?.[1]);
    expect(room).toBeGreaterThan(0);
    const cut = await ollama.embed({ model: "chat", input: [long, "word"] });
    expect(cut.embeddings).toHaveLength(2);
    // The long input counts the tokens it was cut to: the room the refusal named (the context, less
    // the few places the embedding context keeps for its own start and end tokens).
    const short = await ollama.embed({ model: "chat", input: "word" });
    expect(cut.prompt_eval_count - short.prompt_eval_count).toBe(room);
    expect(cut.embeddings[1]).toEqual(short.embeddings[0]);
    expect(cut.embeddings[0]).toHaveLength(short.embeddings[0]!.length);
  });

  it("streams /api/chat and /api/generate as SSE when the client accepts text/event-stream", async () => {
    const chat = await post("/api/chat", { model: "chat", messages: [{ role: "user", content: "hi" }] }, { accept: "text/event-stream" });
    expect(chat.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await chat.text()).map((e): Json => JSON.parse(e.data));
    expect(events.map((e) => e.message.content as string).join("")).toBe(CHAT_MODEL_REPLY);
    expect(events.at(-1)).toMatchObject({ model: "chat", done: true, done_reason: "stop" });

    const gen = await post("/api/generate", { model: "stories", prompt: "Once upon a time", raw: true, options: { num_predict: 8, temperature: 0 } }, { accept: "text/event-stream" });
    expect(gen.headers.get("content-type")).toContain("text/event-stream");
    const lines = parseSse(await gen.text()).map((e): Json => JSON.parse(e.data));
    expect(lines.map((l) => l.response as string).join("")).toContain("there was a little girl");
    expect(lines.at(-1)).toMatchObject({ done: true, eval_count: 8 });

    const ndjson = await post("/api/generate", { model: "stories", prompt: "Once upon a time", raw: true, options: { num_predict: 8, temperature: 0 } });
    expect(ndjson.headers.get("content-type")).toContain("application/x-ndjson");
  });
});
