import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { parseSse } from "../helpers/sse.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";
import { teacherRouter } from "../helpers/teacher-env.js";

const hi = [{ role: "user", content: "Say hello." }];

/** One chat request per dialect, with the given model name and extra fields. */
function chatRequests(model: string, extra: { openai?: object; anthropic?: object; ollama?: object } = {}) {
  return [
    { dialect: "openai", path: "/v1/chat/completions", body: { model, messages: hi, max_tokens: 4, ...extra.openai } },
    { dialect: "anthropic", path: "/v1/messages", body: { model, messages: hi, max_tokens: 4, ...extra.anthropic } },
    { dialect: "ollama", path: "/api/chat", body: { model, messages: hi, stream: false, options: { num_predict: 4 }, ...extra.ollama } },
  ] as const;
}

/** The error message of a body in any of the three dialects. */
function errorMessage(dialect: string, body: Record<string, unknown>): string {
  const error = body["error"];
  if (dialect === "ollama") return String(error);
  return String((error as Record<string, unknown>)["message"]);
}

describe.runIf(hasSharedModels)("wren serve hardening: model names at the edge, errors before the first token", () => {
  let engine: Engine;
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    teacher = await startFakeUpstream("openai");
    server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", contextSize: 256, sequences: 2 }],
      host: "127.0.0.1",
      port: 0,
      engine,
      preload: true,
      env: { OPENAI_API_KEY: "sk-test" },
      router: teacherRouter(teacher.url),
    });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
    await engine?.dispose();
  });

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const metrics = async (): Promise<string> => (await fetch(`${server.url}/metrics`)).text();
  /** The lines of /metrics that name a model, whatever their values. */
  const modelSeries = (text: string): string[] =>
    text
      .split("\n")
      .filter((l) => l.includes('model="'))
      .map((l) => l.replace(/ [^ ]+$/, ""));

  it("a model name too long or with control characters is a 400 in every dialect, and no bad name leaves state", async () => {
    // One lookup through every route first, so the series of the served names exist before the count.
    expect((await post("/v1/chat/completions", { model: "chat", messages: hi, max_tokens: 2 })).status).toBe(200);
    const before = await metrics();
    const invalid = [
      { name: `openai:${"a".repeat(1024 * 1024)}`, says: /is 1048583 characters long; the limit is 256/ },
      { name: "openai:gpt\u007f", says: /not allowed at position 11: U\+007F/ },
      { name: "openai:gpt\u0000x", says: /not allowed at position 11: U\+0000/ },
      { name: "chat\u202e", says: /not allowed at position 5: U\+202E/ },
    ];
    // Printable but served by nobody: the router has no provider named so, or no such local model.
    const unknown = ["модель:7b", "модель-✓"];
    let sent = 0;
    while (sent < 40) {
      for (const { name, says } of invalid) {
        for (const { dialect, path, body } of chatRequests(name)) {
          const res = await post(path, body);
          sent += 1;
          expect(res.status, `${dialect} ${name.slice(0, 20)}`).toBe(400);
          const message = errorMessage(dialect, (await res.json()) as Record<string, unknown>);
          expect(message).toMatch(says);
          expect(message).toContain("Model names are 1 to 256 printable characters");
        }
      }
      for (const name of unknown) {
        for (const { dialect, path, body } of chatRequests(name)) {
          const res = await post(path, body);
          sent += 1;
          expect(res.status, `${dialect} ${name}`).toBe(404);
          expect(errorMessage(dialect, (await res.json()) as Record<string, unknown>)).toContain(name);
          // Any header that names the model is printable ASCII.
          for (const [, value] of res.headers) expect(value).toMatch(/^[\x20-\x7e]*$/);
        }
      }
    }
    const after = await metrics();
    expect(modelSeries(after)).toEqual(modelSeries(before));
    // Only the request counters by dialect and status moved (a few new series), never a name.
    const series = (text: string) => new Set(text.split("\n").map((l) => l.replace(/ [^ ]+$/, "")));
    const added = [...series(after)].filter((l) => !series(before).has(l));
    for (const line of added) expect(line).toMatch(/^wren_requests_total\{dialect="(openai|anthropic|ollama)",status="40[04]"\}$/);
    expect(after.length - before.length).toBeLessThan(1024);
    expect(after).not.toContain("aaaaaaaa");
    expect(after).not.toContain("модель");
    // The only admission is the served model's own: no name a client sent made another.
    expect(server.app.context.host.queues?.().map((q) => q.id)).toEqual(["chat"]);
  });

  it("provider:model names the teacher answers get a metric label each only up to a bound; the rest count as other", async () => {
    for (let i = 0; i < 40; i += 1) {
      const res = await post("/v1/chat/completions", { model: `openai:gpt-${i}`, messages: hi });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-wren-model")).toBe(`gpt-${i}`);
    }
    const series = modelSeries(await metrics()).filter((l) => l.startsWith("wren_model_requests_total"));
    const named = series.filter((l) => /model="openai:gpt-\d+"/.test(l));
    expect(named).toHaveLength(32);
    expect(series.some((l) => l.includes('model="other"'))).toBe(true);
    // They queue upstream, in no admission of this server's: the served model's is the only one.
    expect(server.app.context.host.queues?.().map((q) => q.id)).toEqual(["chat"]);
  });

  it("temperature 5 with stream true is a plain 400 in the OpenAI, Anthropic and Ollama dialects, before any stream starts", async () => {
    const requests = chatRequests("chat", {
      openai: { temperature: 5, stream: true },
      anthropic: { temperature: 5, stream: true },
      ollama: { stream: true, options: { temperature: 5 } },
    });
    const chatsBefore = teacher.chatCount;
    for (const { dialect, path, body } of requests) {
      const res = await post(path, body);
      expect(res.status, dialect).toBe(400);
      expect(res.headers.get("content-type"), dialect).toContain("application/json");
      expect(errorMessage(dialect, (await res.json()) as Record<string, unknown>), dialect).toMatch(/temperature/);
    }
    expect(teacher.chatCount).toBe(chatsBefore);
    // A valid streamed request still streams.
    const ok = await post("/v1/chat/completions", { model: "chat", messages: hi, stream: true, max_tokens: 3 });
    expect(ok.status).toBe(200);
    expect(parseSse(await ok.text()).at(-1)!.data).toBe("[DONE]");
  });
});
