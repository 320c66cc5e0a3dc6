import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFuzzServer, type FuzzServer } from "./fuzz-server.js";
import { watchHealth, yieldToServer, type HealthReport } from "./health-watcher.js";
import { sendHttp } from "./send-http.js";
import { servedModel } from "./valid-requests.js";

/** 16 MB of prompt: under the 16 MiB body limit once wrapped in JSON, so it reaches the model. */
const PROMPT_BYTES = 16_000_000;
const HEALTH_LIMIT_MS = 200;

/** Words (tokenizing them is real work), or 3-byte characters (a third as many characters as bytes). */
function prompt(kind: "words" | "cjk"): string {
  const unit = kind === "words" ? "lorem ipsum dolor sit amet " : "日本語の文章";
  const unitBytes = Buffer.byteLength(unit);
  return unit.repeat(Math.floor(PROMPT_BYTES / unitBytes));
}

interface Attempt {
  name: string;
  path: string;
  body: (text: string) => unknown;
  headers?: Record<string, string>;
  text: "words" | "cjk";
}

const attempts: Attempt[] = [
  { name: "OpenAI chat", path: "/v1/chat/completions", text: "words", body: (t) => ({ model: servedModel.id, messages: [{ role: "user", content: t }], max_tokens: 4 }) },
  { name: "OpenAI chat, streamed", path: "/v1/chat/completions", text: "cjk", body: (t) => ({ model: servedModel.id, messages: [{ role: "user", content: t }], max_tokens: 4, stream: true, stream_options: { include_usage: true } }) },
  { name: "OpenAI chat asking for the model's whole 128k context", path: "/v1/chat/completions", text: "words", headers: { "x-wren-context-length": "131072" }, body: (t) => ({ model: servedModel.id, messages: [{ role: "user", content: t }], max_tokens: 4 }) },
  { name: "OpenAI completion", path: "/v1/completions", text: "words", body: (t) => ({ model: servedModel.id, prompt: t, max_tokens: 4 }) },
  { name: "Anthropic messages, streamed", path: "/v1/messages", text: "words", body: (t) => ({ model: servedModel.id, messages: [{ role: "user", content: t }], max_tokens: 4, stream: true }) },
  { name: "Anthropic count_tokens", path: "/v1/messages/count_tokens", text: "words", body: (t) => ({ model: servedModel.id, messages: [{ role: "user", content: t }] }) },
  { name: "Ollama generate", path: "/api/generate", text: "cjk", body: (t) => ({ model: servedModel.id, prompt: t, stream: false, options: { num_predict: 4 } }) },
  { name: "Ollama chat, streamed", path: "/api/chat", text: "words", body: (t) => ({ model: servedModel.id, messages: [{ role: "user", content: t }], options: { num_predict: 4 } }) },
  { name: "OpenAI embeddings", path: "/v1/embeddings", text: "words", body: (t) => ({ model: servedModel.id, input: t }) },
];

/** True when the answer says the prompt was cut: the header, or the usage/final object field. */
function reportsTruncation(headers: Record<string, unknown>, body: string): boolean {
  return headers["x-wren-input-truncated"] === "true" || /"wren_input_truncated":\s*true/.test(body);
}

describe("a 16 MB prompt", () => {
  let server: FuzzServer;
  let watcher: { stop(): Promise<HealthReport> };
  /** When each attempt ran, to name the one a slow poll overlapped. */
  const spans: Array<{ name: string; from: number; to: number }> = [];

  beforeAll(async () => {
    server = await startFuzzServer();
    watcher = watchHealth(server.url, server.pid, 50, HEALTH_LIMIT_MS);
    yieldToServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const a of attempts) {
    it(`is refused with a 4xx or cut with the truncation reported: ${a.name}`, async () => {
      const body = JSON.stringify(a.body(prompt(a.text)));
      expect(body.length).toBeLessThan(16 * 1024 * 1024);
      const from = Date.now();
      const out = await sendHttp(server.url, { method: "POST", path: a.path, headers: { "content-type": "application/json", ...a.headers }, body }, 120_000);
      spans.push({ name: a.name, from, to: Date.now() });
      const seen = `${out.status} ${out.body.slice(0, 600)}`;
      expect(out.status, seen).toBeLessThan(500);
      if (out.status >= 400) {
        expect(out.body, seen).toMatch(/"error"/);
        return;
      }
      expect(out.status, seen).toBe(200);
      expect(reportsTruncation(out.headers, out.body), `200 without a reported truncation: ${seen}`).toBe(true);
    }, 180_000);
  }

  it(`leaves /health answering within ${HEALTH_LIMIT_MS} ms meanwhile, and the server running`, async () => {
    const health = await watcher.stop();
    expect(health.polls).toBeGreaterThan(0);
    const during = (at: number, ms: number): string => spans.filter((x) => x.from <= at + ms && at <= x.to).map((x) => x.name).join(", ") || "none";
    const slow = health.bad.slice(0, 5).map((p) => `${p.ms} ms (status ${p.status}; control ${p.controlMs} ms; server thread waited ${p.waitMs} ms for a CPU) during: ${during(p.at, p.ms)}`);
    expect(health.bad, `slow or failed /health polls:\n${slow.join("\n")}`).toEqual([]);
    expect(server.exit(), server.log()).toBeUndefined();
  });
});
