import Anthropic from "@anthropic-ai/sdk";
import { Ollama, type Message } from "ollama";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** The numbers a "too long" message states, as clients parse them. */
function numbers(message: string, pattern: RegExp): { prompt: number; max: number } {
  const m = pattern.exec(message);
  expect(m, message).not.toBeNull();
  return { prompt: Number(m!.groups!["prompt"]), max: Number(m!.groups!["max"]) };
}

const CONTEXT = 256;

describe.runIf(hasSharedModels)("a prompt too long for the context, refused in each dialect's own words before anything streams", () => {
  let server: RunningServer;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let ollama: Ollama;
  // The system prompt alone is longer than the context: it counts like any other message.
  const system = "You are a helpful assistant. ".repeat(120);
  const user = "Say hello.";

  beforeAll(async () => {
    server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", contextSize: CONTEXT, sequences: 1 }],
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

  it("OpenAI: BadRequestError 400, context_length_exceeded, with the numbers and a real flag; streamed and not", async () => {
    const messages = [
      { role: "system" as const, content: system },
      { role: "user" as const, content: user },
    ];
    for (const stream of [false, true]) {
      const error: unknown = await openai.chat.completions.create({ model: "chat", messages, stream }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const e = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect({ status: e.status, code: e.code, type: e.type, param: e.param }).toEqual({ status: 400, code: "context_length_exceeded", type: "invalid_request_error", param: "messages" });
      const n = numbers(e.message, /maximum context length is (?<max>\d+) tokens\. However, your messages resulted in (?<prompt>\d+) tokens/);
      expect(n.max).toBeLessThanOrEqual(CONTEXT);
      expect(n.prompt).toBeGreaterThan(n.max);
      expect(e.message).toContain("wren serve --context");
    }
    // The same conversation without the long system prompt fits.
    const ok = await openai.chat.completions.create({ model: "chat", messages: [{ role: "user", content: user }] });
    expect(ok.choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
  });

  it("Anthropic: BadRequestError 400, invalid_request_error, \"prompt is too long: N tokens > M maximum\"; streamed and not", async () => {
    const params = { model: "chat", max_tokens: 16, system, messages: [{ role: "user" as const, content: user }] };
    const attempts: Array<() => Promise<unknown>> = [
      () => anthropic.messages.create(params),
      () => anthropic.messages.create({ ...params, stream: true }),
      () => anthropic.messages.stream(params).finalMessage(),
    ];
    for (const attempt of attempts) {
      const error: unknown = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const e = error as InstanceType<typeof Anthropic.BadRequestError>;
      expect(e.status).toBe(400);
      const body = e.error as { type: string; error: { type: string; message: string } };
      expect(body.error.type).toBe("invalid_request_error");
      const n = numbers(body.error.message, /^prompt is too long: (?<prompt>\d+) tokens > (?<max>\d+) maximum/);
      expect(n.max).toBeLessThanOrEqual(CONTEXT);
      expect(n.prompt).toBeGreaterThan(n.max);
    }    // Through the router (`auto`): the local target's room is its context less max_tokens.
    const routed: unknown = await anthropic.messages.create({ ...params, model: "auto" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(routed).toBeInstanceOf(Anthropic.BadRequestError);
    const body = (routed as InstanceType<typeof Anthropic.BadRequestError>).error as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    const n = numbers(body.error.message, /^prompt is too long: (?<prompt>\d+) tokens > (?<max>\d+) maximum/);
    expect(n.max).toBe(CONTEXT - params.max_tokens);
    expect(n.prompt).toBeGreaterThan(n.max);
  });

  it("Ollama: ResponseError 400 with Ollama's wording; streamed and not", async () => {
    const messages: Message[] = [
      { role: "system", content: system },
      { role: "user", content: user },
    ];
    const attempts: Array<() => Promise<unknown>> = [
      () => ollama.chat({ model: "chat", messages }),
      async () => {
        for await (const part of await ollama.chat({ model: "chat", messages, stream: true })) void part;
      },
    ];
    for (const attempt of attempts) {
      const error: unknown = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: "ResponseError", status_code: 400 });
      const n = numbers((error as Error).message, /^the input length exceeds the context length \((?<prompt>\d+) tokens > (?<max>\d+)\)/);
      expect(n.prompt).toBeGreaterThan(n.max);
    }
  });
});
