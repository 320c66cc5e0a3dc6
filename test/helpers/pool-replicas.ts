import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible server standing in for one replica of a pool (vLLM, llama-server): it
 * answers "Hello from NAME." (streamed or not), can hold its answers open until released, fail
 * its next chat requests with a status, and fail its health checks (`/health`, `/v1/models`).
 */
export interface PoolReplica extends AsyncDisposable {
  readonly name: string;
  /** API root, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  /** Chat requests received. */
  readonly chats: number;
  /** The JSON bodies of the chat requests received, oldest first. */
  readonly bodies: ReadonlyArray<Record<string, unknown>>;
  /** Health checks received. */
  readonly checks: number;
  /** Holds every chat request that arrives from now on until `release()`. */
  hold(): void;
  /** Answers the held requests and stops holding. */
  release(): void;
  /** Resolves once `count` chat requests have arrived in all. */
  arrived(count: number): Promise<void>;
  /** Answers the next `times` chat requests with this status. */
  failNext(status: number, times?: number): void;
  /** Cuts the next `times` streamed answers after their first chunk (the connection is destroyed). */
  cutNext(times?: number): void;
  setHealthy(healthy: boolean): void;
  close(): Promise<void>;
}

export async function startPoolReplica(name: string): Promise<PoolReplica> {
  let chats = 0;
  const bodies: Array<Record<string, unknown>> = [];
  let checks = 0;
  let holding = false;
  let healthy = true;
  let failures: number[] = [];
  let cuts = 0;
  let held: Array<() => void> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const arrive = () => {
    chats++;
    for (const w of waiters.filter((w) => chats >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { model?: string; stream?: boolean } & Record<string, unknown>;
    bodies.push(body);
    arrive();
    const status = failures.shift();
    if (status !== undefined) {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `injected HTTP ${status}`, type: "server_error" } }));
      return;
    }
    if (holding) await new Promise<void>((resolve) => held.push(resolve));
    const text = `Hello from ${name}.`;
    const model = body.model ?? "m";
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "c1",
          object: "chat.completion",
          created: 0,
          model,
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
    const chunk = (delta: object, finish: string | null) => ({ id: "c1", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] });
    if (cuts > 0) {
      cuts--;
      res.write(frame(chunk({ role: "assistant", content: "Hel" }, null)), () => res.socket?.destroy());
      return;
    }
    res.write(frame(chunk({ role: "assistant", content: text }, null)));
    res.write(frame(chunk({}, "stop")));
    res.end("data: [DONE]\n\n");
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "POST" && path === "/v1/chat/completions") {
      answer(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
      return;
    }
    if (path === "/health" || path === "/v1/models") {
      checks++;
      res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
      res.end(healthy ? JSON.stringify({ object: "list", data: [{ id: "m", object: "model" }] }) : JSON.stringify({ error: { message: "Loading model" } }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const close = async () => {
    for (const resolve of held) resolve();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    name,
    url: `http://127.0.0.1:${port}/v1`,
    get chats() {
      return chats;
    },
    get bodies() {
      return bodies;
    },
    get checks() {
      return checks;
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      const resolves = held;
      held = [];
      for (const resolve of resolves) resolve();
    },
    arrived(count) {
      if (chats >= count) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
    failNext(status, times = 1) {
      failures = [...failures, ...Array<number>(times).fill(status)];
    },
    cutNext(times = 1) {
      cuts += times;
    },
    setHealthy(value) {
      healthy = value;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
