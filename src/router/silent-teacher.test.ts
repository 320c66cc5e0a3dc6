import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { streamedText as text, TEACHER as teacher, teacherRouter } from "../../test/helpers/fake-upstreams/teacher-router.js";
import { defaultConfig } from "../config/index.js";
import { userText } from "../protocol/index.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { deserializeError, httpStatusOf, type WrenError } from "../shared/errors.js";
import { HealthChecker, httpProbe } from "./health.js";
import { Router } from "./router.js";
import { streamLimits, wholeLimits } from "./timeouts.js";

/** A server that accepts every connection, reads what comes and never answers: not a byte, not a header. */
interface SilentServer {
  url: string;
  /**
   * Requests whose connection is still open (the client has not let go). Idle connections are not
   * counted: an HTTP client may open a spare one, which its keep-alive closes in its own time.
   */
  readonly open: number;
  /** Connections that sent something (a request). */
  readonly requests: number;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function startSilentServer(): Promise<SilentServer> {
  const all = new Set<Socket>();
  const asked = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((socket) => {
    all.add(socket);
    socket.once("data", () => {
      requests++;
      asked.add(socket);
    });
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.once("close", () => {
      all.delete(socket);
      asked.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of all) socket.destroy();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get open() {
      return asked.size;
    },
    get requests() {
      return requests;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

type Mode = "stream" | "generate";

/** The one limit each mode is given in these tests, short: streams the idle limit, non-streamed calls their own. */
const shortLimit = (mode: Mode): Record<string, number> => (mode === "stream" ? { idleMs: 1_000 } : { nonStreamedMs: 1_000 });

describe("the default bounds on a teacher's answer", () => {
  it("a non-streamed call to a target off this machine has a finite default, longer than the stream idle limit (a reasoning teacher thinks before its first byte)", () => {
    const { timeouts } = defaultConfig({ env: {} }).router;
    expect(timeouts.nonStreamedMs).toBeGreaterThan(timeouts.idleMs);
    expect(timeouts.nonStreamedMs).toBeLessThanOrEqual(600_000);
  });

  it("streams: the idle limit bounds the wait for the response too, off this machine only", () => {
    expect(streamLimits({ idleMs: 1_000 }, true)).toEqual({ idleMs: 1_000, firstTokenMs: 1_000, connectMs: 1_000 });
    expect(streamLimits({ idleMs: 1_000, connectMs: 50 }, true)).toEqual({ idleMs: 1_000, firstTokenMs: 1_000, connectMs: 50 });
    expect(streamLimits({ idleMs: 1_000 }, false)).toEqual({ idleMs: 1_000 });
  });

  it("non-streamed: totalMs when set, else the non-streamed limit off this machine; the local model, peers and loopback servers keep theirs", () => {
    expect(wholeLimits({ nonStreamedMs: 600_000, idleMs: 1_000, connectMs: 5 }, true)).toEqual({ totalMs: 600_000, setting: "nonStreamedMs" });
    expect(wholeLimits({ nonStreamedMs: 600_000, totalMs: 30_000 }, true)).toEqual({ totalMs: 30_000, setting: "totalMs" });
    expect(wholeLimits({ nonStreamedMs: 600_000 }, false)).toEqual({ totalMs: undefined, setting: "totalMs" });
    expect(wholeLimits({ nonStreamedMs: 600_000, totalMs: 30_000 }, false)).toEqual({ totalMs: 30_000, setting: "totalMs" });
  });
});

const dialects = ["openai", "anthropic", "gemini", "ollama"] as const;
const modes = ["stream", "generate"] as const;

// Most of each test below is a limit of 1 s waited out, so they run side by side, each with servers
// of its own (counts of requests and open connections are per server): the limits stay as long.
describe.concurrent("teachers that never answer", () => {
  let backup: FakeUpstream;
  beforeAll(async () => {
    backup = await startFakeUpstream("openai");
  });
  afterAll(async () => {
    await backup.close();
  });

  describe.each(dialects)("a %s teacher that accepts the connection and never answers", (dialect) => {
    // Only the silent teacher's limit is short; the backup keeps the defaults.
    const build = (silent: SilentServer, limits: Record<string, number>, withBackup: boolean) => teacherRouter({ dialect, url: silent.url, limits, backupUrl: backup.url, fallback: withBackup });

    it.for(modes)("%s: past the limit the request moves on to the next target, and the silent connection is let go", async (mode, { expect }) => {
      await using silent = await startSilentServer();
      using built = build(silent, shortLimit(mode), true);
      if (mode === "stream") {
        const parts = await streamParts(built.router.doStream({ messages: [userText("Hi")] }));
        expect(text(parts)).toBe("Hello from the cloud.");
        expect(parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "backup", reason: "fallback" } });
      } else {
        const answer = await built.router.doGenerate({ messages: [userText("Hi")] });
        expect(answer.content).toEqual([{ type: "text", text: "Hello from the cloud." }]);
        expect(answer.provenance).toMatchObject({ provider: "backup", reason: "fallback" });
      }
      expect(silent.requests).toBe(1);
      expect(built.log.list()[0]!.attempts.map((a) => [a.target, a.outcome, a.detail])).toEqual([
        [teacher[dialect], "failed", "timeout"],
        ["backup:llama", "ok", undefined],
      ]);
      await expect.poll(() => silent.open, { timeout: 5_000 }).toBe(0);
    });

    it.for(modes)("%s: with no other target, a gateway timeout that names the teacher, what happened and the setting to raise", async (mode, { expect }) => {
      await using silent = await startSilentServer();
      using built = build(silent, shortLimit(mode), false);
      let error: WrenError;
      if (mode === "stream") {
        const parts = await streamParts(built.router.doStream({ messages: [userText("Hi")] }));
        const last = parts.at(-1);
        if (last?.type !== "error") throw new Error(`expected an error part, got ${JSON.stringify(last)}`);
        error = deserializeError(last.error);
      } else {
        error = await built.router.doGenerate({ messages: [userText("Hi")] }).then(
          () => {
            throw new Error("expected the call to fail");
          },
          (thrown: WrenError) => thrown,
        );
      }
      expect(error.code).toBe("timeout");
      expect(httpStatusOf(error)).toBe(504);
      expect(error.message).toContain(teacher[dialect]);
      expect(error.message).toMatch(mode === "stream" ? /sent no response within 1 s/ : /sent no complete answer within 1 s/);
      expect(error.hint).toContain(mode === "stream" ? "idleMs" : "nonStreamedMs");
      await expect.poll(() => silent.open, { timeout: 5_000 }).toBe(0);
    });

    it.for(modes)("%s: the client's cancel ends the wait at once, well before the limit", async (mode, { expect }) => {
      await using silent = await startSilentServer();
      // A limit far past any test's run: only the cancel can end this call.
      using built = build(silent, mode === "stream" ? { idleMs: 3_600_000 } : { nonStreamedMs: 3_600_000 }, true);
      const controller = new AbortController();
      const call = mode === "stream" ? streamParts(built.router.doStream({ messages: [userText("Hi")] }, { signal: controller.signal })) : built.router.doGenerate({ messages: [userText("Hi")] }, { signal: controller.signal });
      await expect.poll(() => silent.requests, { timeout: 5_000 }).toBe(1);
      controller.abort();
      const ended = await call;
      if (Array.isArray(ended)) expect(ended.at(-1)).toMatchObject({ type: "finish", finishReason: "abort" });
      else expect(ended).toMatchObject({ finishReason: "abort", content: [] });
      expect(built.log.list()[0]!.attempts.map((a) => a.target)).toEqual([teacher[dialect]]);
      await expect.poll(() => silent.open, { timeout: 5_000 }).toBe(0);
    });
  });

  describe.each(dialects)("a %s teacher that sends its headers, then never the rest of a non-streamed answer", (dialect) => {
    it("is bounded by the same limit: the request moves on to the next target", async ({ expect }) => {
      const stalled = await startFakeUpstream(dialect);
      try {
        stalled.fail({ kind: "stall" });
        using built = teacherRouter({ dialect, url: stalled.url, limits: { nonStreamedMs: 1_000 }, backupUrl: backup.url });
        const answer = await built.router.doGenerate({ messages: [userText("Hi")] });
        expect(answer.content).toEqual([{ type: "text", text: "Hello from the cloud." }]);
        expect(built.log.list()[0]!.attempts.map((a) => [a.target, a.outcome, a.detail])).toEqual([
          [teacher[dialect], "failed", "timeout"],
          ["backup:llama", "ok", undefined],
        ]);
        await expect.poll(() => stalled.inFlight, { timeout: 5_000 }).toBe(0);
      } finally {
        await stalled.close();
      }
    });
  });

  describe("a non-streamed call whose tool calls are checked part by part, to a model off this machine that never answers", () => {
    it("times out under the non-streamed limit, and the gateway timeout names that setting, not totalMs", async ({ expect }) => {
      await using silent = await startSilentServer();
      const id = "openai:gpt-4o-mini";
      // A target off this machine whose tool calls the router checks (a model the user serves elsewhere):
      // its non-streamed calls run as a checked stream, under the same non-streamed limit.
      const router = new Router({
        targets: [
          {
            id,
            model: new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${silent.url}/v1`, apiKey: "sk" }),
            leavesMachine: true,
            local: { contextLength: 32_768 },
            timeouts: { nonStreamedMs: 1_000 },
          },
        ],
        routes: { default: { type: "target", target: id } },
        consent: { policy: "allow" },
        retry: { maxRetries: 0 },
      });
      const tool = { name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } } } };
      const error = await router.doGenerate({ messages: [userText("Weather in Paris?")], tools: [tool] }).then(
        () => {
          throw new Error("expected the call to fail");
        },
        (thrown: WrenError) => thrown,
      );
      expect(silent.requests).toBe(1);
      expect(error.code).toBe("timeout");
      expect(httpStatusOf(error)).toBe(504);
      expect(error.message).toContain(`${id} sent no complete answer within 1 s`);
      expect(error.hint).toContain("raise `nonStreamedMs`");
      await expect.poll(() => silent.open, { timeout: 5_000 }).toBe(0);
    });
  });
});

describe("background health checks of a teacher that never answers", () => {
  it("hold one probe of it at a time, however often a round starts; the probe fails when it is let go", async () => {
    const silent = await startSilentServer();
    // A limit far past the test: rounds that started while the probe is out must not wait for it.
    using checker = new HealthChecker(new Map([["openai:gpt-4o-mini", httpProbe(`${silent.url}/v1/models`)]]), { timeoutMs: 3_600_000 });
    const first = checker.checkNow();
    await expect.poll(() => silent.requests, { timeout: 5_000 }).toBe(1);
    await Promise.all([checker.checkNow(), checker.checkNow(), checker.checkNow()]);
    expect([silent.requests, silent.open]).toEqual([1, 1]);
    expect(checker.isHealthy("openai:gpt-4o-mini")).toBe(true);
    await silent.close();
    await first;
    expect(checker.isHealthy("openai:gpt-4o-mini")).toBe(false);
  });
});
