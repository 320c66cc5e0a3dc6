import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userText } from "../../protocol/index.js";
import { streamParts } from "../../../test/helpers/fake-upstreams/conformance.js";
import { OpenAICompatibleModel } from "./model.js";

/** What the next chat request gets: status, headers and the body written as these pieces. */
interface Reply {
  status?: number;
  headers?: Record<string, string>;
  pieces: string[];
}

const chunk = (fields: Record<string, unknown>) => `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", ...fields })}\n\n`;
const text = (content: string) => chunk({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const stop = chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });

describe("the OpenAI-compatible client's wire handling", () => {
  let server: Server;
  let url: string;
  let reply: Reply = { pieces: [] };
  const seen: IncomingMessage[] = [];
  let connections = 0;
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(req);
      req.resume();
      const r = reply;
      req.on("end", () => {
        res.writeHead(r.status ?? 200, { "content-type": "text/event-stream", ...r.headers });
        // Each piece is its own write: events split across reads must come out whole.
        const write = (i: number): void => {
          if (i === r.pieces.length || res.destroyed) return void res.end();
          res.write(r.pieces[i]!, () => setImmediate(() => write(i + 1)));
        };
        write(0);
      });
    });
    server.on("connection", () => connections++);
    // Kept-alive connections stay open however slow the machine is between two requests.
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });
  afterAll(() => {
    // The clients' kept-alive connections would hold close() for the whole keep-alive timeout.
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const model = (apiKey?: string) => new OpenAICompatibleModel({ provider: "acme", modelId: "m1", baseURL: url, apiKey, headers: { "x-team": "blue" } });

  it("joins events split across reads, delivers a last event without its blank line, and stops at [DONE]", async () => {
    const whole = text("Hel") + text("lo") + stop + "data: [DONE]\n\n" + text("after done");
    reply = { pieces: [whole.slice(0, 7), whole.slice(7, 50), whole.slice(50)] };
    const parts = await streamParts(model("k").doStream({ messages: [userText("Hi")] }));
    expect(parts.filter((p) => p.type === "text-delta").map((p) => (p.type === "text-delta" ? p.delta : ""))).toEqual(["Hel", "lo"]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });

    reply = { pieces: [text("tail") + stop.trimEnd()] };
    const tail = await streamParts(model().doStream({ messages: [userText("Hi")] }));
    expect(tail.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  });

  it("reuses its kept-alive connections for answers read to their end, streamed (past [DONE]) or not", async () => {
    const m = model();
    reply = { pieces: [text("Hi"), stop, "data: [DONE]\n\n"] };
    // Two first: a request sent the moment the previous one ended may find its connection not yet
    // back in the pool and open a second one.
    for (let i = 0; i < 2; i++) await streamParts(m.doStream({ messages: [userText("Hi")] }));
    const before = connections;
    for (let i = 0; i < 4; i++) await streamParts(m.doStream({ messages: [userText("Hi")] }));
    reply = { headers: { "content-type": "application/json" }, pieces: [JSON.stringify({ choices: [{ index: 0, message: { content: "ok" }, finish_reason: "stop" }] })] };
    for (let i = 0; i < 4; i++) await m.doGenerate({ messages: [userText("Hi")] });
    expect(connections).toBe(before);
  });

  it("sends the key only when there is one, the configured headers, and joins a base URL with a trailing slash", async () => {
    reply = { pieces: [stop] };
    await streamParts(model("sk-1").doStream({ messages: [userText("Hi")] }));
    await streamParts(model().doStream({ messages: [userText("Hi")] }));
    const [withKey, without] = seen.slice(-2);
    expect(withKey!.url).toBe("/v1/chat/completions");
    expect(withKey!.headers.authorization).toBe("Bearer sk-1");
    expect(withKey!.headers["x-team"]).toBe("blue");
    expect(without!.headers.authorization).toBeUndefined();
  });

  it("an error event inside a 200 stream is a retryable upstream error, not a silent end", async () => {
    reply = { pieces: [text("Hel"), `data: ${JSON.stringify({ error: { message: "model crashed", type: "server_error" } })}\n\n`] };
    const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toEqual({ type: "error", error: expect.objectContaining({ code: "upstream_error", isRetryable: true, message: expect.stringContaining("model crashed") }) });
  });

  it("a stream is whole with a finish reason or with [DONE]; one closed with neither was cut short", async () => {
    for (const pieces of [[text("Hel"), stop], [text("Hel"), "data: [DONE]\n\n"]]) {
      reply = { pieces };
      const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
      expect(parts.at(-1)).toMatchObject({ type: "finish" });
    }
    reply = { pieces: [text("Hel")] };
    const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
    expect(parts.filter((p) => p.type === "finish")).toEqual([]);
    expect(parts.at(-1)).toEqual({ type: "error", error: expect.objectContaining({ code: "upstream_error", isRetryable: true, message: expect.stringContaining("ended before the answer finished") }) });
  });

  it("a non-streamed 200 whose body is an error object (as some proxies answer) says the upstream's error, retryable", async () => {
    reply = { headers: { "content-type": "application/json" }, pieces: [JSON.stringify({ error: { message: "Provider returned error", code: 502 } })] };
    await expect(model().doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({
      code: "upstream_error",
      isRetryable: true,
      message: "acme reported an error: Provider returned error",
    });
  });

  it("assembles tool calls from servers that leave out each delta's index (Gemini's and Ollama's OpenAI endpoints) or send the name after the id", async () => {
    const calls = (deltas: unknown[]) => chunk({ choices: [{ index: 0, delta: { tool_calls: deltas }, finish_reason: null }] });
    const finish = chunk({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] });
    const callsOf = async () => {
      const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
      return parts.flatMap((p) => (p.type === "tool-call" ? [[p.toolCallId, p.toolName, p.input]] : []));
    };
    // Each call whole in one delta without an index, two of them.
    reply = {
      pieces: [
        calls([{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]),
        calls([{ id: "c2", type: "function", function: { name: "get_time", arguments: '{"tz":"CET"}' } }]),
        finish,
      ],
    };
    expect(await callsOf()).toEqual([["c1", "get_weather", '{"city":"Paris"}'], ["c2", "get_time", '{"tz":"CET"}']]);
    // Without an index, a delta without an id goes on with the call before it.
    reply = { pieces: [calls([{ id: "c1", function: { name: "get_weather", arguments: '{"ci' } }]), calls([{ function: { arguments: 'ty":"Oslo"}' } }]), finish] };
    expect(await callsOf()).toEqual([["c1", "get_weather", '{"city":"Oslo"}']]);
    // The id first, the name in a later delta, arguments in between.
    reply = {
      pieces: [
        calls([{ index: 0, id: "c1", type: "function", function: { arguments: "" } }]),
        calls([{ index: 0, function: { arguments: '{"city":' } }]),
        calls([{ index: 0, function: { name: "get_weather" } }]),
        calls([{ index: 0, function: { arguments: '"Rome"}' } }]),
        finish,
      ],
    };
    expect(await callsOf()).toEqual([["c1", "get_weather", '{"city":"Rome"}']]);
  });

  it("an answer with no choice at all (choices: []), streamed to [DONE] or not, is malformed, not an empty success", async () => {
    const empty = { choices: [], usage: { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 } };
    reply = { pieces: [chunk(empty), "data: [DONE]\n\n"] };
    const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toEqual({ type: "error", error: expect.objectContaining({ code: "upstream_error", isRetryable: true, message: expect.stringContaining("acme sent a malformed response") }) });
    reply = { headers: { "content-type": "application/json" }, pieces: [JSON.stringify({ id: "c1", object: "chat.completion", ...empty })] };
    await expect(model().doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "upstream_error", message: expect.stringContaining("acme sent a malformed response: the answer has no choice") });
  });

  it("a chunk of the wrong shape or a body that is not JSON is a malformed-response error", async () => {
    reply = { pieces: [chunk({ choices: [{ index: 0, delta: { content: 42 } }] })] };
    const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toEqual({ type: "error", error: expect.objectContaining({ code: "upstream_error", message: expect.stringContaining("acme sent a malformed response: choices.0.delta.content") }) });

    reply = { headers: { "content-type": "application/json" }, pieces: ['{"choices": ['] };
    await expect(model().doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "upstream_error", message: expect.stringContaining("malformed") });
  });

  it("a 400 saying context_length_exceeded (as OpenAI and wren say a prompt too long) is a context overflow; another 400 stays the request's fault", async () => {
    const body = (code: string) => JSON.stringify({ error: { message: "This model's maximum context length is 512 tokens.", type: "invalid_request_error", param: "messages", code } });
    reply = { status: 400, headers: { "content-type": "application/json" }, pieces: [body("context_length_exceeded")] };
    const overflow = { code: "context_overflow", status: 400, isRetryable: false, message: "acme answered HTTP 400: This model's maximum context length is 512 tokens.", hint: expect.stringMatching(/^Shorten the prompt/) };
    await expect(model().doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject(overflow);
    const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "error", error: { code: "context_overflow" } });
    reply = { status: 400, headers: { "content-type": "application/json" }, pieces: [body("invalid_value")] };
    await expect(model().doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "bad_request", status: 400 });
  });

  it("a failed response's status, retry-after and body message become the error, a non-JSON body's text too", async () => {
    reply = { status: 429, headers: { "content-type": "application/json", "retry-after": "3" }, pieces: [JSON.stringify({ error: { message: "slow down", type: "rate_limit" } })] };
    await expect(model().doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "rate_limited", status: 429, retryAfter: 3, message: "acme answered HTTP 429: slow down" });

    reply = { status: 502, headers: { "content-type": "text/html" }, pieces: ["<html>Bad gateway</html>\n<body>more</body>"] };
    const parts = await streamParts(model().doStream({ messages: [userText("Hi")] }));
    expect(parts).toEqual([{ type: "error", error: expect.objectContaining({ code: "upstream_error", status: 502, message: "acme answered HTTP 502: <html>Bad gateway</html>" }) }]);
  });

  it("a cancelled stream ends with an abort finish and leaves the connection usable", async () => {
    reply = { pieces: [text("Hel"), text("lo"), stop] };
    const controller = new AbortController();
    const parts = [];
    for await (const part of model().doStream({ messages: [userText("Hi")] }, { signal: controller.signal })) {
      parts.push(part);
      if (part.type === "text-delta") controller.abort();
    }
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "abort" });
    reply = { headers: { "content-type": "application/json" }, pieces: [JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "again" }, finish_reason: "stop" }] })] };
    const result = await model().doGenerate({ messages: [userText("Hi")] });
    expect(result.content).toEqual([{ type: "text", text: "again" }]);
  });

  it("stops reading an answer past its bound, streamed or not, and says so: a server that goes on cannot grow wren's memory", async () => {
    const bounded = new OpenAICompatibleModel({ provider: "acme", modelId: "m1", baseURL: url, maxAnswerBytes: 64 * 1024 });
    const words = `data: {"choices":[{"index":0,"delta":{"content":"${"x".repeat(8 * 1024)}`;
    // One event that never ends: 40 pieces of 8 KB and no line break.
    reply = { pieces: Array.from({ length: 40 }, (_, i) => (i === 0 ? words : "y".repeat(8 * 1024))) };
    const parts = await streamParts(bounded.doStream({ messages: [userText("Hi")] }));
    const said = { code: "upstream_error", message: "acme sent an answer larger than 64 KiB; wren stopped reading it." };
    expect(parts.at(-1)).toEqual({ type: "error", error: expect.objectContaining(said) });

    const big = JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "z".repeat(300 * 1024) }, finish_reason: "stop" }] });
    reply = { headers: { "content-type": "application/json" }, pieces: Array.from({ length: 10 }, (_, i) => big.slice(i * (big.length / 10), (i + 1) * (big.length / 10))) };
    await expect(bounded.doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject(said);
    // Under the bound (the default one), the same answer is read whole.
    const result = await model().doGenerate({ messages: [userText("Hi")] });
    expect(result.content).toEqual([{ type: "text", text: "z".repeat(300 * 1024) }]);
  });
});
