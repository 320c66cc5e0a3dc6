import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { teacherRouter } from "../helpers/teacher-env.js";

/**
 * Writes `data` on a new connection and reads until `responses` HTTP responses have come whole (by
 * their content-length) or the connection closes; a server that never answers fails the test by
 * its timeout.
 */
function exchange(url: string, data: string, responses: number): Promise<Array<{ status: number; body: string }>> {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), "127.0.0.1");
  socket.write(data);
  let buffer = "";
  const parsed = (): Array<{ status: number; body: string }> | undefined => {
    const out: Array<{ status: number; body: string }> = [];
    let rest = buffer;
    while (out.length < responses) {
      const end = rest.indexOf("\r\n\r\n");
      if (end < 0) return undefined;
      const head = rest.slice(0, end);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (rest.length < end + 4 + length) return undefined;
      out.push({ status: Number(head.slice(9, 12)), body: rest.slice(end + 4, end + 4 + length) });
      rest = rest.slice(end + 4 + length);
    }
    return out;
  };
  return new Promise((resolve, reject) => {
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const done = parsed();
      if (done) {
        socket.destroy();
        resolve(done);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => reject(new Error(`the connection closed after: ${JSON.stringify(buffer)}`)));
  });
}

const h2c = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n";

describe("wren serve answers requests that ask to upgrade to another protocol than WebSocket (curl --http2) as plain HTTP/1.1", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    const router = teacherRouter(teacher.url);
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("answers a GET asking for h2c, and the next request on the same connection", async () => {
    const [health, models] = await exchange(server.url, `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n${h2c}\r\nGET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 2);
    expect(health!.status).toBe(200);
    expect(JSON.parse(health!.body)).toMatchObject({ status: "ok" });
    expect(models!.status).toBe(200);
    expect(JSON.parse(models!.body)).toMatchObject({ object: "list" });
  });

  it("answers a POST with a body asking for h2c, and refuses a bad one in the caller's dialect", async () => {
    const chat = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }] });
    const [answer] = await exchange(server.url, `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${chat.length}\r\n${h2c}\r\n${chat}`, 1);
    expect(answer!.status).toBe(200);
    expect((JSON.parse(answer!.body) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("Hello from the cloud.");

    const [refused] = await exchange(server.url, `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1\r\nConnection: upgrade\r\nUpgrade: foo/2\r\n\r\n{`, 1);
    expect(refused!.status).toBe(400);
    expect(JSON.parse(refused!.body)).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("answers a WebSocket asked of a path that has none as the plain request it also is", async () => {
    const ws = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const chat = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }] });
    const [answer] = await exchange(server.url, `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${chat.length}\r\n${ws}\r\n${chat}`, 1);
    expect(answer!.status).toBe(200);
    expect((JSON.parse(answer!.body) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("Hello from the cloud.");
    const [health] = await exchange(server.url, `GET /health?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n${ws}\r\n`, 1);
    expect(health!.status).toBe(200);
    expect(JSON.parse(health!.body)).toMatchObject({ status: "ok" });
  });

  it("still upgrades a WebSocket on /v1/ws", async () => {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/v1/ws`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    ws.close();
  });
});
