import Anthropic from "@anthropic-ai/sdk";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { parseSse } from "../helpers/sse.js";
import { CHAT_MODEL_REPLY, projectRoot, sharedModelsDir } from "../helpers/shared-models.js";

const long = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");

describe.runIf(existsSync(long))("a model served with no context size gets the largest context that fits", () => {
  let server: RunningServer;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = await startServer({
      models: [{ path: long, id: "long", sequences: 2 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
      logger: pino({ level: "info" }, sink),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("says at start what it chose and why, and shows it in /api/show", async () => {
    const loaded = lines.find((l) => l["msg"] === "model-loaded");
    expect(loaded).toMatchObject({ model: "long", contextSize: 131072, context: expect.stringMatching(/^auto: the model's training context; it fits .* free RAM/) });
    const show = (await (await fetch(`${server.url}/api/show`, { method: "POST", body: JSON.stringify({ model: "long" }) })).json()) as { model_info: Record<string, unknown> };
    expect(show.model_info["llama.context_length"]).toBe(131072);
  });

  it("answers a system prompt far longer than the old 4096-token default, as agent CLIs send", async () => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    const system = "You are a coding agent. Follow the repository's conventions. ".repeat(120);
    const counted = await anthropic.messages.countTokens({ model: "long", system, messages: [{ role: "user", content: "Say hello." }] });
    expect(counted.input_tokens).toBeGreaterThan(5000);
    const msg = await anthropic.messages.create({ model: "long", max_tokens: 32, system, messages: [{ role: "user", content: "Say hello." }] });
    expect(msg.content[0]).toMatchObject({ type: "text", text: CHAT_MODEL_REPLY });
    expect(msg.usage.input_tokens + (msg.usage.cache_read_input_tokens ?? 0)).toBe(counted.input_tokens);
    // Through the router (`auto`), the local target is judged by the context it was loaded with.
    const routed = await anthropic.messages.create({ model: "auto", max_tokens: 32, system, messages: [{ role: "user", content: "Say hello." }] });
    expect(routed.content[0]).toMatchObject({ type: "text", text: CHAT_MODEL_REPLY });
  }, 120_000);

  it("answers Claude Code-shaped requests (system blocks, tools, thinking, context_management, ?beta=true) with the model's reply", async () => {
    const dir = path.join(projectRoot, "test", "fixtures", "anthropic");
    const fixtures = readdirSync(dir).filter((n) => n.startsWith("claude-code-") && n.endsWith(".anthropic.json"));
    expect(fixtures.length).toBeGreaterThanOrEqual(2);
    for (const name of fixtures) {
      const fixture = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { path: string; headers: Record<string, string>; body: Record<string, unknown> };
      const res = await fetch(`${server.url}${fixture.path}`, {
        method: "POST",
        headers: { ...fixture.headers, "content-type": "application/json" },
        body: JSON.stringify({ ...fixture.body, model: "long" }),
      });
      const text = await res.text();
      expect(res.status, `${name}: ${text.slice(0, 300)}`).toBe(200);
      if (fixture.path.includes("count_tokens")) {
        expect((JSON.parse(text) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
        continue;
      }
      const deltas = parseSse(text)
        .map((e) => JSON.parse(e.data) as { delta?: { type: string; text?: string } })
        .filter((d) => d.delta?.type === "text_delta");
      expect(deltas.map((d) => d.delta!.text).join(""), name).toBe(CHAT_MODEL_REPLY);
    }
  }, 120_000);
});
