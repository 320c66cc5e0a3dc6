import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toWrenError } from "../shared/errors.js";
import { anthropicMessagesRequestSchema } from "../wire/anthropic/index.js";
import { openaiChatRequestSchema } from "../wire/openai/index.js";
import { pino } from "pino";
import { BodyBudget } from "./body-budget.js";
import type { ServerMetrics } from "./metrics.js";
import type { ModelHost } from "./model-host.js";
import { parseBody } from "./parse-body.js";
import { createServerContext } from "./server-context.js";

const app = new Hono();
app.post("/echo", async (c) => c.json({ body: await parseBody(c, z.looseObject({ text: z.string().optional() })) }));
app.onError((error, c) => {
  const wren = toWrenError(error);
  return c.json({ code: wren.code, message: wren.message, hint: wren.hint }, 400);
});

function nested(levels: number): string {
  return '{"a":'.repeat(levels) + "1" + "}".repeat(levels);
}

/** A request whose body arrives in chunks of `size` bytes, with no content-length. */
function chunked(text: string, size: number, path = "/echo"): Request {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
      controller.close();
    },
  });
  // A streamed body needs `duplex: "half"` in Node; the DOM's RequestInit, which the program's
  // types include, does not name it.
  const init: RequestInit & { duplex: "half" } = { method: "POST", body, headers: { "content-type": "application/json" }, duplex: "half" };
  return new Request(`http://wren.test${path}`, init);
}

describe("parseBody", () => {
  it("accepts 64 levels of nesting and refuses 65, naming the limit", async () => {
    // nested(n) is n objects deep; the top-level one is the first level.
    const ok = await app.request("/echo", { method: "POST", body: nested(64) });
    expect(ok.status).toBe(200);
    const deep = await app.request("/echo", { method: "POST", body: nested(65) });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({
      code: "bad_request",
      message: "The request body nests JSON objects or arrays more than 64 levels deep.",
      hint: "Flatten the request (tool schemas, tool arguments, response_format) to at most 64 levels of nesting.",
    });
    const hostile = await app.request("/echo", { method: "POST", body: nested(100_000) });
    expect(hostile.status).toBe(400);
  });

  it("decodes a body that arrives in chunks splitting multi-byte characters", async () => {
    const text = "héllo ✓ 👍 日本語 ".repeat(1000);
    const res = await app.request(chunked(JSON.stringify({ text }), 7));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: { text: string } }).body.text).toBe(text);
  });

  it("parses a body of several megabytes", async () => {
    const text = "x".repeat(3_000_000);
    const res = await app.request(chunked(JSON.stringify({ text }), 65_536));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: { text: string } }).body.text).toHaveLength(3_000_000);
  });

  it("says what is wrong with a body that is not JSON", async () => {
    const res = await app.request("/echo", { method: "POST", body: "{nope" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "bad_request", message: expect.stringMatching(/^The request body is not valid JSON/) });
  });
});

describe("parseBody of a large body (parsed on the body-parsing worker)", () => {
  const chat = new Hono();
  chat.post("/chat", async (c) => c.json({ body: await parseBody(c, openaiChatRequestSchema) }));
  chat.onError((error, c) => {
    const wren = toWrenError(error);
    return c.json({ code: wren.code, message: wren.message, hint: wren.hint, details: wren.details }, 400);
  });
  const post = async (body: string): Promise<Response> => chat.request(chunked(body, 65_536, "/chat"));
  const big = "héllo ✓ 👍 日本語 ".repeat(20_000);

  it("gives the same value as a small body would", async () => {
    const body = { model: "m", messages: [{ role: "user", content: big }], max_tokens: 4 };
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: unknown }).body).toEqual(openaiChatRequestSchema.parse(body));
  });

  it("gives a schema's transformed output, checked once on the worker, as a small body would", async () => {
    // Anthropic's tools and blocks are transformed: client and server tools, an ignored block type.
    const anthropic = new Hono();
    anthropic.post("/messages", async (c) => c.json({ body: await parseBody(c, anthropicMessagesRequestSchema) }));
    const body = {
      model: "m",
      max_tokens: 4,
      tools: [{ name: "get_weather", description: "Weather.", input_schema: { type: "object" } }, { type: "bash_20250124", name: "bash" }, { type: "web_search_20250305", name: "web_search" }],
      messages: [{ role: "user", content: [{ type: "text", text: big }, { type: "some_future_block", data: 1 }] }],
    };
    const expected = anthropicMessagesRequestSchema.parse(body);
    expect(expected.tools?.map((t) => t.kind)).toEqual(["client", "client", "server"]);
    const res = await anthropic.request(chunked(JSON.stringify(body), 65_536, "/messages"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: unknown }).body).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it("names the first wrong field, as for a small body", async () => {
    const wrong = (stop: unknown): string => JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stop });
    const small = await (await post(wrong([1, 2]))).json();
    const large = await post(wrong(Array.from({ length: 200_000 }, (_, i) => i % 10)));
    expect(large.status).toBe(400);
    expect(await large.json()).toEqual(small);
    expect(small).toMatchObject({ code: "bad_request", message: expect.stringMatching(/'stop/) });
  });

  it("refuses nesting past 64 levels and text that is not JSON", async () => {
    const deep = await post(`{"model":"m","messages":[],"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ message: "The request body nests JSON objects or arrays more than 64 levels deep." });
    const broken = await post(`{"model":"m","messages":[{"role":"user","content":"${big}"}]`);
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ message: expect.stringMatching(/^The request body is not valid JSON/) });
  });
});

describe("parseBody on Node's HTTP server, of a body whose content-length states its size", () => {
  /** Sends `body` with its content-length in pieces of `size` bytes, a turn apart; `cut` stops after that many bytes and closes. */
  function send(port: number, body: Buffer, size: number, cut?: number): Promise<{ status: number; text: string } | "closed"> {
    return new Promise((resolve) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/echo", headers: { "content-type": "application/json", "content-length": String(body.length) } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", () => resolve("closed"));
      const end = cut ?? body.length;
      const write = (at: number): void => {
        if (at >= end) {
          if (cut === undefined) req.end();
          else req.destroy();
          return;
        }
        req.write(body.subarray(at, Math.min(at + size, end)));
        setImmediate(() => write(at + size));
      };
      write(0);
    });
  }

  it("ends a request that waited for room when its client's end comes a pass of the event loop after its body, before it goes on", async () => {
    // What the server's middleware does: a scope per request, marked when its turn came after it
    // waited (BodyBudget). The client's end is heard of on the loop's next pass (a setImmediate).
    const ctx = createServerContext({} as ModelHost, {} as ServerMetrics, pino({ level: "silent" }), "0.0.0", new BodyBudget(1024 * 1024));
    const waited = new Hono();
    let reached = 0;
    waited.use("*", async (c, next) => {
      const scope = ctx.open(c.req.raw);
      scope.waitedForRoom = c.req.header("x-waited") === "1";
      if (c.req.header("x-leaves") === "1") setImmediate(() => scope.cancel("Client connection prematurely closed."));
      try {
        await next();
      } finally {
        scope.end();
      }
    });
    waited.post("/echo", async (c) => {
      const body = await parseBody(c, z.looseObject({ text: z.string() }));
      reached += 1;
      return c.json({ body });
    });
    waited.onError((error, c) => c.json({ code: toWrenError(error).code }, 400));
    const post = (headers: Record<string, string>) => waited.request("/echo", { method: "POST", body: '{"text":"hi"}', headers });
    expect(await (await post({ "x-waited": "1", "x-leaves": "1" })).json()).toEqual({ code: "aborted" });
    expect(reached).toBe(0);
    // A request that waited and whose client stays, and one that never waited, go on.
    expect(await (await post({ "x-waited": "1" })).json()).toEqual({ body: { text: "hi" } });
    expect((await post({ "x-leaves": "1" })).status).toBe(200);
    expect(reached).toBe(2);
  });

  it("is read whole, also when its pieces split characters, and one cut short holds nothing up", async () => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }) as Server;
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const text of ["héllo ✓ 👍 日本語 ".repeat(9000), "", "x".repeat(200_000)]) {
        const body = Buffer.from(JSON.stringify({ text }));
        const answer = await send(port, body, 7_777);
        expect(answer).not.toBe("closed");
        expect(answer === "closed" ? undefined : (JSON.parse(answer.text) as { body: { text: string } }).body.text).toBe(text);
      }
      const body = Buffer.from(JSON.stringify({ text: "y".repeat(100_000) }));
      expect(await send(port, body, 4096, 50_000)).toBe("closed");
      // The server goes on answering whole bodies.
      const after = await send(port, Buffer.from('{"text":"ok"}'), 3);
      expect(after === "closed" ? undefined : JSON.parse(after.text)).toEqual({ body: { text: "ok" } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
