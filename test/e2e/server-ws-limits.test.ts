import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { defaultConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";

const MAX_SOCKETS = 4;
const IDLE_MS = 400;

/** An OpenAI-compatible stand-in that streams one chat answer without end, as fast as its reader takes it. */
async function endlessUpstream(): Promise<{ url: string; written: () => number; close: () => Promise<void> }> {
  let written = 0;
  const chunk = `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta: { content: "x".repeat(400) }, finish_reason: null }] })}\n\n`;
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith("/models")) {
      res.end(JSON.stringify({ object: "list", data: [] }));
      return;
    }
    req.resume();
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(`data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index: 0, delta: { role: "assistant" }, finish_reason: null }] })}\n\n`);
    const pump = (): void => {
      while (!res.destroyed && written < 256 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!res.destroyed) res.end("data: [DONE]\n\n");
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    written: () => written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/v1/ws`);
  return new Promise((resolve, reject) => ws.once("open", () => resolve(ws)).once("error", reject));
}

const closeOf = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));

describe("wren serve's WebSocket endpoint bounds what its clients hold", () => {
  let upstream: Awaited<ReturnType<typeof endlessUpstream>>;
  let server: RunningServer;

  beforeAll(async () => {
    upstream = await endlessUpstream();
    const router = defaultConfig({ env: {} }, {
      router: { healthIntervalMs: 0, cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${upstream.url}/v1`, cloud: true } } },
    }).router;
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router, webSocket: { maxSockets: MAX_SOCKETS, idleTimeoutMs: IDLE_MS } });
  });
  afterAll(async () => {
    await server?.close();
    await upstream?.close();
  });

  it("closes a socket that sends nothing for the idle timeout, saying why", async () => {
    const ws = await open(server.url);
    const started = Date.now();
    const closed = await Promise.race([closeOf(ws), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), IDLE_MS * 5))]);
    ws.terminate();
    expect(closed).toBeDefined();
    expect(closed!.code).toBe(1000);
    expect(closed!.reason).toMatch(/idle/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
  });

  it("keeps a socket open while its generation runs past the idle timeout, however long", async () => {
    const ws = await open(server.url);
    let closedEarly = false;
    ws.once("close", () => (closedEarly = true));
    let messages = 0;
    ws.on("message", () => messages++);
    ws.send(JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "Go on forever." }] }));
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 3));
    expect(closedEarly).toBe(false);
    expect(messages).toBeGreaterThan(1);
    ws.terminate();
  });

  it("refuses a socket past the server's cap with 503, retry-after and a body saying what to do, and takes one again once a socket closes", async () => {
    const held = await Promise.all(Array.from({ length: MAX_SOCKETS }, () => open(server.url)));
    try {
      const ws = new WebSocket(`${server.url.replace("http", "ws")}/v1/ws`);
      const refused = await new Promise<{ status: number; retryAfter: string | undefined; body: string } | "opened">((resolve) => {
        ws.once("open", () => resolve("opened"));
        ws.once("unexpected-response", (_req, res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"], body }));
        });
        ws.once("error", () => undefined);
      });
      ws.terminate();
      expect(refused).not.toBe("opened");
      if (refused === "opened") return;
      expect(refused.status).toBe(503);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      const body = JSON.parse(refused.body) as { error: { message: string; code: string } };
      expect(body.error.code).toBe("overloaded");
      expect(body.error.message).toMatch(/WebSocket/);
    } finally {
      for (const ws of held) ws.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await open(server.url);
    again.close();
  });

  it("stops reading a stream a client does not read, then closes its socket, instead of buffering without bound", async () => {
    // The upstream's count includes what earlier tests' streams took.
    const before = upstream.written();
    const ws = await open(server.url);
    const closed = closeOf(ws);
    ws.send(JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "Go on forever." }] }));
    // The client never reads what the server sends.
    ws.pause();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const early = upstream.written();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Without a bound, wren read the upstream as fast as it wrote and queued it all for the socket
    // (46 MB in 3 s, still growing). Bounded: the kernel's buffers and the outbox's 1 MiB, then nothing more.
    expect(upstream.written() - before).toBeLessThan(24 * 1024 * 1024);
    expect(upstream.written()).toBe(early);
    ws.resume();
    const { code, reason } = await Promise.race([closed, new Promise<{ code: number; reason: string }>((resolve) => setTimeout(() => resolve({ code: 0, reason: "" }), 5000))]);
    ws.terminate();
    expect(code).toBe(1008);
    expect(reason).toMatch(/read/i);
  });
});
