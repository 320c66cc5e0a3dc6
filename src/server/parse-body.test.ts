import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toWrenError } from "../shared/errors.js";
import { parseBody } from "./parse-body.js";

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
function chunked(text: string, size: number): Request {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
      controller.close();
    },
  });
  return new Request("http://wren.test/echo", { method: "POST", body, headers: { "content-type": "application/json" }, duplex: "half" });
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
