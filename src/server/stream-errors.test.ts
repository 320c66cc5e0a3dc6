/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON, checked by the assertions */
import { describe, expect, it } from "vitest";
import type { ChatRequest, StreamPart } from "../protocol/index.js";
import { WrenError, serializeError } from "../shared/errors.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse, type Json } from "../../test/helpers/sse.js";
import { createServerApp } from "./app.js";

/** A model that starts answering, then fails with the given error: a cut upstream, a rate limit mid-way. */
class FailingMidway extends ScriptedModel {
  constructor(
    id: string,
    private readonly error: WrenError,
  ) {
    super(id, () => ({}));
  }

  override async *doStream(request: ChatRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    yield { type: "stream-start", provider: this.provider, modelId: this.modelId };
    yield { type: "text-start", id: "0" };
    yield { type: "text-delta", id: "0", delta: "Hello" };
    await Promise.resolve();
    yield { type: "error", error: serializeError(this.error) };
  }
}

function setup(error: WrenError) {
  const model = new FailingMidway("flaky", error);
  const host = new ScriptedHost(new Map<string, ScriptedModel>([["flaky", model]]));
  const { app } = createServerApp({ host });
  const post = (path: string, body: unknown): Promise<Response> => Promise.resolve(app.request(path, { method: "POST", body: JSON.stringify(body) }));
  return { post, host };
}

const messages = [{ role: "user", content: "hi" }];
const rateLimited = new WrenError("rate_limited", "The teacher is rate limited.", { hint: "Retry in a minute.", isRetryable: true });
const badRequest = new WrenError("bad_request", "The tool call arguments are not valid JSON.", { hint: "Fix the tool schema." });
const upstream = new WrenError("upstream_error", "The teacher's stream broke off.", { hint: "Retry the request." });

const jsonEvents = (text: string): Json[] =>
  parseSse(text)
    .filter((e) => e.data.startsWith("{"))
    .map((e) => JSON.parse(e.data));

describe("errors inside a stream that already started", () => {
  it("OpenAI chat and completions: the error event carries the type that matches the error, as an error response would", async () => {
    for (const [error, type] of [
      [rateLimited, "rate_limit_error"],
      [badRequest, "invalid_request_error"],
      [upstream, "server_error"],
    ] as const) {
      const { post, host } = setup(error);
      for (const [path, body] of [
        ["/v1/chat/completions", { model: "flaky", messages, stream: true }],
        ["/v1/completions", { model: "flaky", prompt: "hi", stream: true }],
      ] as const) {
        const res = await post(path, body);
        expect(res.status).toBe(200);
        const events = jsonEvents(await res.text());
        expect(events.some((e) => JSON.stringify(e).includes("Hello"))).toBe(true);
        expect(events.at(-1)).toEqual({ error: { message: `${error.message} ${error.hint}`, type, param: null, code: error.code } });
      }
      expect(host.held).toBe(0);
    }
  });

  it("Anthropic and Ollama: the same renderer as their error responses", async () => {
    const { post } = setup(rateLimited);
    const anthropic = parseSse(await (await post("/v1/messages", { model: "flaky", messages, max_tokens: 8, stream: true })).text());
    const last = anthropic.at(-1)!;
    expect(last.event).toBe("error");
    expect(JSON.parse(last.data)).toEqual({ type: "error", error: { type: "rate_limit_error", message: "The teacher is rate limited. Retry in a minute." } });

    const ollama = (await (await post("/api/chat", { model: "flaky", messages })).text()).trim().split("\n");
    expect(JSON.parse(ollama.at(-1)!)).toEqual({ error: "The teacher is rate limited. Retry in a minute." });
  });
});

describe("header values", () => {
  it("a served model whose id is not ASCII answers with its name percent-encoded in x-wren-model, and an odd x-request-id is encoded too", async () => {
    const model = new ScriptedModel("modèle-✓", () => ({ text: "ok" }));
    const host = new ScriptedHost(new Map([["modèle-✓", model]]));
    const { app } = createServerApp({ host });
    for (const stream of [false, true]) {
      const res = await app.request("/v1/chat/completions", {
        method: "POST",
        headers: { "x-request-id": "r\u00e9q 1" },
        body: JSON.stringify({ model: "modèle-✓", messages, stream }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-wren-model")).toBe(encodeURIComponent("modèle-✓"));
      expect(decodeURIComponent(res.headers.get("x-wren-model")!)).toBe("modèle-✓");
      expect(res.headers.get("x-request-id")).toBe("r%C3%A9q%201");
      await res.text();
    }
  });
});
