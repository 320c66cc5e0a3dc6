import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { teacherRouter } from "../helpers/teacher-env.js";

/** A chunked body holds the most a body may be: room for one at a time, not two. */
const MAX_BODY = 1024 * 1024;
const IN_FLIGHT = 1_500_000;

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Gave up waiting for ${what}.`);
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * A POST whose body goes out chunked (no content-length), written as the test says: the request,
 * and its answer once the server gives one (or the connection's end).
 */
function chunked(url: string, path: string): { request: http.ClientRequest; answer: Promise<Answer> } {
  const { port } = new URL(url);
  const request = http.request({ host: "127.0.0.1", port: Number(port), method: "POST", path, agent: false, headers: { "content-type": "application/json", "transfer-encoding": "chunked" } });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.once("response", (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    request.once("error", reject);
  });
  return { request, answer };
}

const head = (model: string) => `{"model":"${model}","messages":[{"role":"user","content":"`;
const tail = '"}]}';

describe("wren serve holds chunked request bodies to server.maxBodyBytes and to the bytes in flight", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    const router = teacherRouter(teacher.url);
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router, maxBodyBytes: MAX_BODY, maxBodyBytesInFlight: IN_FLIGHT });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  async function gauges(): Promise<{ bytes: number; waiting: number }> {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    return { bytes: value("wren_request_body_bytes_in_flight"), waiting: value("wren_request_body_waiting") };
  }

  it("holds room for a chunked body before reading it, so a second one waits, unread, until the first ends", async () => {
    const first = chunked(server.url, "/v1/chat/completions");
    first.request.write(head("auto") + "x".repeat(300_000));
    // Still arriving, the first body already holds the most a body may be.
    await until(async () => (await gauges()).bytes === MAX_BODY, "the first chunked body to hold its room");

    const second = chunked(server.url, "/v1/chat/completions");
    second.request.end(head("auto") + "y".repeat(300_000) + tail);
    await until(async () => (await gauges()).waiting === 1, "the second chunked body to wait");
    expect(await gauges()).toEqual({ bytes: MAX_BODY, waiting: 1 });

    first.request.end("x".repeat(300_000) + tail);
    for (const { answer } of [first, second]) {
      const got = await answer;
      expect(got.status).toBe(200);
      expect((JSON.parse(got.text) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("Hello from the cloud.");
    }
    await until(async () => (await gauges()).bytes === 0, "every body to be let go");
    expect(await gauges()).toEqual({ bytes: 0, waiting: 0 });
  });

  it("refuses a chunked body over server.maxBodyBytes with 413 in the caller's dialect, and closes the connection", async () => {
    const cases = [
      { path: "/v1/chat/completions", check: (body: unknown) => expect(body).toMatchObject({ error: { code: "payload_too_large" } }) },
      { path: "/v1/messages", check: (body: unknown) => expect(body).toMatchObject({ type: "error", error: { type: "request_too_large" } }) },
      { path: "/api/chat", check: (body: unknown) => expect((body as { error: string }).error).toContain("larger than 1 MiB") },
    ];
    for (const { path, check } of cases) {
      const { request, answer } = chunked(server.url, path);
      request.on("error", () => undefined);
      request.write(head("auto"));
      // More than the limit, in pieces; the server answers before the client is done.
      for (let i = 0; i < 20; i++) request.write("z".repeat(64 * 1024));
      request.end(tail);
      const got = await answer;
      expect(got.status).toBe(413);
      expect(got.headers.connection).toBe("close");
      check(JSON.parse(got.text));
    }
    await until(async () => (await gauges()).bytes === 0, "every body to be let go");
  });

  it("answers a chunked body within the limit as it would the same body with a content-length", async () => {
    const { request, answer } = chunked(server.url, "/v1/chat/completions");
    request.end(head("auto") + "é".repeat(100_000) + tail);
    const got = await answer;
    expect(got.status).toBe(200);
    expect(got.text).toContain("Hello from the cloud.");
  });
});
