import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { teacherRouter } from "../helpers/teacher-env.js";

/** Far more than wren leaves unsent for a client, and than the sockets between them buffer; under the 64 MiB bound on a cloud answer. */
const ANSWER_EVENTS = 32_000;
const PIECE = "z".repeat(1000);

/** An OpenAI-compatible teacher whose streamed answer is {@link ANSWER_EVENTS} deltas of 1,000 characters, written as fast as it is read. */
interface BigTeacher {
  url: string;
  /** Deltas written so far to the current answer, whether it is waiting for its reader, and whether it has ended. */
  state: { written: number; blocked: boolean; ended: boolean };
  close(): Promise<void>;
}

async function startBigTeacher(): Promise<BigTeacher> {
  const state = { written: 0, blocked: false, ended: false };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (!req.url?.endsWith("/chat/completions")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"object":"list","data":[]}');
        return;
      }
      Object.assign(state, { written: 0, blocked: false, ended: false });
      res.writeHead(200, { "content-type": "text/event-stream" });
      const pump = (): void => {
        state.blocked = false;
        while (state.written < ANSWER_EVENTS && !res.destroyed) {
          state.written++;
          const chunk = { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content: PIECE }, finish_reason: null }] };
          if (!res.write(`data: ${JSON.stringify(chunk)}\n\n`)) {
            state.blocked = true;
            res.once("drain", pump);
            return;
          }
        }
        const last = { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] };
        res.end(`data: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`);
        state.ended = true;
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Gave up waiting for ${what}.`);
}

// With CORS on, streams go out through a web Response rather than straight to Node's.
describe.each([{ cors: false }, { cors: true }])("wren serve holds back a streamed answer its client does not read, instead of buffering all of it (CORS on: $cors)", ({ cors }) => {
  let teacher: BigTeacher;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startBigTeacher();
    const router = teacherRouter(teacher.url);
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router, ...(cors ? { corsOrigins: ["*"] } : {}) });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("stops reading the teacher while the client reads nothing, and hands over the whole answer once it reads", async () => {
    const body = JSON.stringify({ model: "auto", stream: true, messages: [{ role: "user", content: "hi" }] });
    const socket = net.connect(server.port, "127.0.0.1");
    socket.pause();
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    try {
      // The teacher writes until what is between it and the client is full, then waits.
      await until(() => teacher.state.blocked || teacher.state.ended, "the teacher to be held back or to finish");
      // Buffering it all, wren would let the teacher finish at loopback speed; held back, it never does.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(teacher.state.ended).toBe(false);
      expect(teacher.state.written).toBeLessThan(ANSWER_EVENTS / 2);

      // The client reads now: nothing was lost.
      let text = "";
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.setEncoding("utf8").on("data", (d: string) => (text += d));
      socket.resume();
      await closed;
      expect(text.startsWith("HTTP/1.1 200")).toBe(true);
      const deltas = text.split("\n").filter((line) => line.startsWith("data: {") && line.includes(PIECE));
      expect(deltas.length).toBe(ANSWER_EVENTS);
      expect(text).toContain("data: [DONE]");
      expect(teacher.state.ended).toBe(true);
    } finally {
      socket.destroy();
    }
  });
});
