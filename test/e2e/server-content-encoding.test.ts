import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { teacherRouter } from "../helpers/teacher-env.js";

const MAX_BODY = 1024 * 1024;

/**
 * A gzip bomb: `members` gzip members of 16 MiB of zeros each, one after another (a valid gzip
 * stream), about 16 KB each on the wire and 16 MiB each once inflated.
 */
function gzipBomb(members: number): Buffer {
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => member));
}

describe("wren serve takes request bodies sent with content-encoding", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router: teacherRouter(teacher.url), maxBodyBytes: MAX_BODY });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  const chat = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hello from a compressed body" }] });

  async function post(path: string, body: Uint8Array | string, encoding: string, chunked = false): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const init: RequestInit & { duplex?: "half" } = { method: "POST", headers: { "content-type": "application/json", "content-encoding": encoding } };
    if (chunked) {
      // A stream has no length: fetch sends it chunked.
      init.body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
          controller.close();
        },
      });
      init.duplex = "half";
    } else init.body = bytes;
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it("decodes gzip, deflate and br bodies, declared or chunked", async () => {
    const encoded: Array<[string, Buffer]> = [
      ["gzip", gzipSync(chat)],
      ["x-gzip", gzipSync(chat)],
      ["deflate", deflateSync(chat)],
      ["br", brotliCompressSync(chat)],
      ["GZip", gzipSync(chat)],
      ["identity", Buffer.from(chat)],
    ];
    for (const [encoding, bytes] of encoded) {
      for (const chunked of [false, true]) {
        const before = teacher.requests.length;
        const res = await post("/v1/chat/completions", bytes, encoding, chunked);
        expect(res.status, `${encoding} chunked: ${chunked}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body).toMatchObject({ object: "chat.completion" });
        // What reached the upstream is the request the client compressed.
        const sent = teacher.requests.slice(before).find((request) => request.path.endsWith("/chat/completions"));
        expect(JSON.stringify(sent?.body)).toContain("hello from a compressed body");
      }
    }
  });

  it("decodes a compressed body larger than the worker's threshold", async () => {
    const big = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hello ".repeat(100_000) }] });
    const res = await post("/v1/chat/completions", gzipSync(big), "gzip");
    expect(res.status).toBe(200);
  });

  it("refuses a gzip bomb with 413 once its inflated size passes the body limit, without inflating the rest", async () => {
    // 60 KB on the wire, 960 MiB inflated, of which at most the 1 MiB limit may be held.
    const bomb = gzipBomb(60);
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      for (const chunked of [false, true]) {
        const res = await post("/v1/chat/completions", bomb, "gzip", chunked);
        expect(res.status, `chunked: ${chunked}`).toBe(413);
        expect(res.body).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringMatching(/^The request body is larger than 1 MiB once decoded \(content-encoding gzip\)\./) } });
      }
    } finally {
      clearInterval(sampler);
    }
    // Inflated whole, the bomb would take a gigabyte; the server stops reading at the limit.
    expect(peak - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it("answers 400 in the caller's dialect for a body that is not what its content-encoding says", async () => {
    const openai = await post("/v1/chat/completions", chat, "gzip");
    expect(openai.status).toBe(400);
    expect(openai.body).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringMatching(/^The request body is not valid gzip data/) } });
    const anthropic = await post("/v1/messages", chat, "br");
    expect(anthropic.status).toBe(400);
    expect(anthropic.body).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringMatching(/^The request body is not valid br data/) } });
  });

  it("answers 415 in the caller's dialect, naming the encoding and those it takes, for one it cannot decode", async () => {
    const openai = await post("/v1/chat/completions", chat, "compress");
    expect(openai.status).toBe(415);
    expect(openai.headers.get("accept-encoding")).toBe("gzip, deflate, br");
    expect(openai.body).toMatchObject({ error: { message: expect.stringMatching(/^The request body is encoded with 'compress', which wren serve does not decode\./) } });
    const ollama = await post("/api/chat", chat, "gzip, br");
    expect(ollama.status).toBe(415);
    expect(ollama.body).toMatchObject({ error: expect.stringMatching(/^The request body is encoded with 'gzip, br', which wren serve does not decode\./) });
  });
});
