import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { SLOW_BODY_GRACE_MS } from "../../src/server/body-budget.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { teacherRouter } from "../helpers/teacher-env.js";

/** Room for two of these bodies at once, not three. */
const BODY_CHARS = 600_000;
const IN_FLIGHT = 1_500_000;

function body(): string {
  return JSON.stringify({ model: "auto", messages: [{ role: "user", content: "x".repeat(BODY_CHARS) }] });
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Gave up waiting for ${what}.`);
}

describe("wren serve bounds the bytes of request bodies held at once (server.maxBodyBytesInFlight)", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    const router = teacherRouter(teacher.url);
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router, maxBodyBytes: 1024 * 1024, maxBodyBytesInFlight: IN_FLIGHT });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  async function gauges(url = server.url): Promise<{ bytes: number; waiting: number }> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    return { bytes: value("wren_request_body_bytes_in_flight"), waiting: value("wren_request_body_waiting") };
  }

  function post(signal?: AbortSignal): Promise<Response> {
    return fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: body(), ...(signal ? { signal } : {}) });
  }

  /**
   * A client that declares a body of `BODY_CHARS` bytes and trickles it a byte at a time: what it
   * got back, once the server closed the connection.
   */
  function trickle(): { answer: Promise<string>; stop: () => void } {
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${BODY_CHARS}\r\n\r\n{"model":"auto","messages":[{"role":"user","content":"`);
    const timer = setInterval(() => socket.write("x"), 200);
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    const answer = new Promise<string>((resolve) => socket.once("close", () => resolve(text)));
    socket.once("close", () => clearInterval(timer));
    socket.on("error", () => undefined);
    return { answer, stop: () => socket.destroy() };
  }

  it("cuts bodies that trickle in while another request waits for their room: they get a 408 and the connection closes, the waiting one is answered", async () => {
    const slow = [trickle(), trickle()];
    try {
      await until(async () => (await gauges()).bytes === 2 * BODY_CHARS, "the two trickling bodies to be let in");
      const started = performance.now();
      const waiting = post();
      const answer = await waiting;
      expect(answer.status).toBe(200);
      // Not before the grace period: a body that has only started is not judged slow.
      expect(performance.now() - started).toBeGreaterThan(SLOW_BODY_GRACE_MS - 2000);
      for (const { answer: cut } of slow) {
        const text = await cut;
        expect(text).toMatch(/^HTTP\/1\.1 408 /);
        expect(text.toLowerCase()).toContain("connection: close");
        const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { error: { message: string; type: string } };
        expect(body.error.message).toContain("arrived slower than 1 MiB/s while other requests waited");
      }
    } finally {
      for (const s of slow) s.stop();
    }
    await until(async () => (await gauges()).bytes === 0, "every body to be let go");
  });

  it("makes a third large body wait, unread, while two are held, lets it in when one ends, and answers it", async () => {
    const start = teacher.chatCount;
    // The first two reach the teacher and hang there, holding their bodies.
    teacher.fail({ kind: "stall" }, 2);
    const first = new AbortController();
    const second = new AbortController();
    const held = [post(first.signal), post(second.signal)].map((p) => p.catch(() => undefined));
    await until(() => teacher.chatCount === start + 2, "the teacher to get two requests");
    const third = post();
    await until(async () => (await gauges()).waiting === 1, "the third request to wait");
    expect(await gauges()).toEqual({ bytes: 2 * body().length, waiting: 1 });
    // Waiting, it has not reached the teacher.
    expect(teacher.chatCount).toBe(start + 2);

    // The first client leaves: its request ends, its bytes are let go, and the third goes on.
    first.abort();
    const answer = await third;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("Hello from the cloud.");
    expect(teacher.chatCount).toBe(start + 3);

    second.abort();
    await Promise.all(held);
    await until(async () => (await gauges()).bytes === 0, "every body to be let go");
    expect(await gauges()).toEqual({ bytes: 0, waiting: 0 });
  });

  it("ends a waiting request whose client left partway through its body: when its turn comes the line empties and nothing stays held", async () => {
    const start = teacher.chatCount;
    teacher.fail({ kind: "stall" }, 2);
    const holders = [new AbortController(), new AbortController()];
    const held = holders.map((c) => post(c.signal).catch(() => undefined));
    await until(() => teacher.chatCount === start + 2, "the teacher to get two requests");
    // A client that leaves before all of its body was sent: a body that can never come whole, so
    // whenever the server hears of the leaving (its turn comes, it reads on, then the client's
    // end), nothing could be sent on. (A client that sent its body whole is the next test's.)
    const { port } = new URL(server.url);
    const leaving = net.connect(Number(port), "127.0.0.1");
    leaving.on("error", () => undefined);
    leaving.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body().length}\r\n\r\n${body().slice(0, 100_000)}`);
    await until(async () => (await gauges()).waiting === 1, "the third request to wait");
    // Its body unread, the server hears of the client leaving only once it reads the socket again.
    leaving.destroy();
    for (const c of holders) c.abort();
    await Promise.all(held);
    await until(async () => {
      const g = await gauges();
      return g.bytes === 0 && g.waiting === 0;
    }, "every body to be let go and the line to empty");
    // Gone before its turn, it was never sent on. One sent on late would show here once the
    // teacher's answers closed, instead of taking the next test's faults and spoiling its count.
    await until(() => teacher.inFlight === 0, "the teacher's answers to close");
    expect(teacher.chatCount).toBe(start + 2);
  });

  it("does not send on a waiting request whose client sent it whole and then closed its side: the teacher never gets it", async () => {
    // Its own server, with room for two bodies of 120 kB and not a third of 150 kB: Node reads some
    // 64 kB of a request before it stops reading one nobody reads yet, the kernel takes some 128 kB
    // more, so the whole request and the client's end lie on the server's side of the connection,
    // unread, before its turn comes. (Of a larger body the rest and the client's end are still in
    // the client's kernel then, and may reach the server only after the body was read and sent on:
    // heard of then, and the request's work cancelled, but too late for the teacher not to have got it.)
    const small = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router: teacherRouter(teacher.url), maxBodyBytes: 200_000, maxBodyBytesInFlight: 300_000 });
    try {
      const start = teacher.chatCount;
      teacher.fail({ kind: "stall" }, 2);
      const holding = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "x".repeat(120_000) }] });
      const holders = [new AbortController(), new AbortController()];
      const held = holders.map((c) => fetch(`${small.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: holding, signal: c.signal }).catch(() => undefined));
      await until(() => teacher.chatCount === start + 2, "the teacher to get two requests");
      const whole = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "y".repeat(150_000) }] });
      const { port } = new URL(small.url);
      const socket = net.connect(Number(port), "127.0.0.1");
      socket.on("error", () => undefined);
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      const sent = new Promise<void>((resolve) => socket.end(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(whole)}\r\n\r\n${whole}`, () => resolve()));
      await until(async () => (await gauges(small.url)).waiting === 1, "the request to wait");
      await sent;
      holders[0]!.abort();
      await closed;
      await until(async () => (await gauges(small.url)).bytes === holding.length, "the left request to be let go");
      holders[1]!.abort();
      await Promise.all(held);
      await until(async () => (await gauges(small.url)).bytes === 0, "every body to be let go");
      // Read whole, it is let in when its turn comes, but its client had gone: no teacher hears of it.
      await until(() => teacher.inFlight === 0, "the teacher's answers to close");
      expect(teacher.chatCount).toBe(start + 2);
    } finally {
      await small.close();
    }
  });

  it("counts a WebSocket message as a body: it waits for room too, then is answered", async () => {
    const start = teacher.chatCount;
    teacher.fail({ kind: "stall" }, 2);
    const holders = [new AbortController(), new AbortController()];
    const held = holders.map((c) => post(c.signal).catch(() => undefined));
    await until(() => teacher.chatCount === start + 2, "the teacher to get two requests");
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/v1/ws`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const messages: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on("message", (data: Buffer) => {
        messages.push(data.toString());
        if (data.toString() === "[DONE]" || data.toString().includes('"error"')) resolve();
      }),
    );
    ws.send(body());
    await until(async () => (await gauges()).waiting === 1, "the message to wait");
    expect(teacher.chatCount).toBe(start + 2);
    holders[0]!.abort();
    await done;
    ws.close();
    expect(messages.at(-1)).toBe("[DONE]");
    const text = messages.slice(0, -1).map((m) => (JSON.parse(m) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello from the cloud.");
    holders[1]!.abort();
    await Promise.all(held);
    await until(async () => (await gauges()).bytes === 0, "every body to be let go");
  });

  it("lets a streamed request's bytes go when its stream ends, or when its client leaves before the first token", async () => {
    const streamed = JSON.stringify({ model: "auto", stream: true, messages: [{ role: "user", content: "x".repeat(BODY_CHARS) }] });
    const whole = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: streamed });
    expect(whole.status).toBe(200);
    expect(await whole.text()).toContain("data: [DONE]");
    await until(async () => (await gauges()).bytes === 0, "the finished stream's body to be let go");

    const start = teacher.chatCount;
    teacher.fail({ kind: "stall" }, 1);
    const leaving = new AbortController();
    const cut = fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: streamed, signal: leaving.signal }).catch(() => undefined);
    await until(() => teacher.chatCount === start + 1, "the teacher to get the request");
    expect((await gauges()).bytes).toBe(streamed.length);
    leaving.abort();
    await cut;
    await until(async () => (await gauges()).bytes === 0, "the left stream's body to be let go");
  });
});
