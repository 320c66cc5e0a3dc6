/* eslint-disable @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON, checked by the assertions */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse } from "../../test/helpers/sse.js";
import { createServerApp } from "./app.js";
import { openRequestScope } from "./request-scope.js";

const TIMEOUT_MS = 60_000;

// Only the timer functions are faked: their count is exactly the request timers still pending.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const model = new ScriptedModel("tiny", () => ({ text: "Hello from a scripted model.", chunk: 3 }));
  const host = new ScriptedHost(new Map([["tiny", model]]), { parallel: 2 });
  const { app } = createServerApp({ host, requestTimeoutMs: TIMEOUT_MS });
  const chat = (stream: boolean): Promise<Response> =>
    Promise.resolve(app.request("/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }], stream }) }));
  return { app, chat, host };
}

describe("per-request resources", () => {
  it("leave no timer behind once health checks, model lists and answers (streamed or not) are done", async () => {
    const { app, chat, host } = setup();
    for (let i = 0; i < 50; i += 1) {
      expect((await app.request("/health")).status).toBe(200);
      expect((await app.request("/v1/models")).status).toBe(200);
      expect((await app.request("/api/chat", { method: "POST", body: "{" })).status).toBe(400);
      const plain = await chat(false);
      expect(plain.status).toBe(200);
      const streamed = await chat(true);
      expect(parseSse(await streamed.text()).at(-1)!.data).toBe("[DONE]");
    }
    expect(vi.getTimerCount()).toBe(0);
    expect(host.held).toBe(0);
  });

  it("a streamed answer holds its timeout until the stream ends, or until the client goes away", async () => {
    const { chat } = setup();
    const read = await chat(true);
    expect(vi.getTimerCount()).toBe(1);
    await read.text();
    expect(vi.getTimerCount()).toBe(0);

    const dropped = await chat(true);
    expect(vi.getTimerCount()).toBe(1);
    await dropped.body!.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the timeout still ends a streamed answer that outlives it, with a timeout error event", async () => {
    const slow = new ScriptedModel("slow", () => ({ text: "abcdefgh", chunk: 1, delayMs: 1000 }));
    const host = new ScriptedHost(new Map([["slow", slow]]), { parallel: 1 });
    const { app } = createServerApp({ host, requestTimeoutMs: 1500 });
    const pending = app.request("/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "slow", messages: [{ role: "user", content: "hi" }], stream: true }) });
    // The model's pauses and the request timeout are both fake timers: run them in order.
    await vi.advanceTimersByTimeAsync(1000);
    const res = await pending;
    expect(res.status).toBe(200);
    const text = res.text();
    await vi.advanceTimersByTimeAsync(10_000);
    const events = parseSse(await text);
    const error = events.map((e) => (e.data.startsWith("{") ? JSON.parse(e.data) : {})).find((e) => e.error);
    expect(error.error.code).toBe("timeout");
    expect(error.error.type).toBe("server_error");
    expect(host.held).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("openRequestScope", () => {
  it("makes no timer until the signal is asked for, and none after the last holder lets go", () => {
    const client = new AbortController();
    const scope = openRequestScope(client.signal, TIMEOUT_MS);
    expect(vi.getTimerCount()).toBe(0);
    const signal = scope.signal;
    expect(vi.getTimerCount()).toBe(1);
    const release = scope.hold();
    scope.end();
    expect(vi.getTimerCount()).toBe(1);
    release();
    release();
    expect(vi.getTimerCount()).toBe(0);
    // Detached: the client going away later no longer reaches the finished request's signal.
    client.abort();
    expect(signal.aborted).toBe(false);
  });

  it("aborts with a timeout error when the limit passes, and with the client's reason when it goes away", () => {
    const scope = openRequestScope(new AbortController().signal, TIMEOUT_MS);
    const signal = scope.signal;
    vi.advanceTimersByTime(TIMEOUT_MS);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ code: "timeout" });

    const client = new AbortController();
    const other = openRequestScope(client.signal, TIMEOUT_MS);
    client.abort(new Error("gone"));
    expect(other.signal.reason).toEqual(new Error("gone"));
    other.end();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets go of what the request held besides (its body's bytes) once, when the last holder lets go, or at once after", () => {
    const scope = openRequestScope(new AbortController().signal, TIMEOUT_MS);
    const letGo: string[] = [];
    scope.whenReleased(() => letGo.push("body"));
    scope.whenReleased(() => letGo.push("more"));
    const release = scope.hold();
    scope.end();
    expect(letGo).toEqual([]);
    release();
    release();
    expect(letGo).toEqual(["body", "more"]);
    scope.whenReleased(() => letGo.push("late"));
    expect(letGo).toEqual(["body", "more", "late"]);
  });

  it("served by Node, aborts as soon as the client closes its side, not turns later when the response closes", async () => {
    const seen: Array<{ aborted: boolean; reason: unknown; responseClosed: boolean; endListenersAfter: number; endListenersBefore: number }> = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const endListenersBefore = req.socket.listenerCount("end");
      const scope = openRequestScope(() => new AbortController().signal, TIMEOUT_MS, { response: res });
      const signal = scope.signal;
      req.resume();
      // Heard after the scope's own listener: the request's body had arrived whole, then the client's end.
      req.socket.once("end", () => {
        const state = { aborted: signal.aborted, reason: signal.reason as unknown, responseClosed: res.closed };
        scope.end();
        seen.push({ ...state, endListenersBefore, endListenersAfter: req.socket.listenerCount("end") });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = net.connect((server.address() as AddressInfo).port, "127.0.0.1");
      client.on("error", () => undefined);
      client.end("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 5\r\n\r\nhello");
      await new Promise<void>((resolve) => client.once("close", () => resolve()));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ aborted: true, reason: "Client connection prematurely closed.", responseClosed: false });
      // Let go with the scope: nothing stays on a kept-alive connection's socket.
      expect(seen[0]!.endListenersAfter).toBe(seen[0]!.endListenersBefore);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
