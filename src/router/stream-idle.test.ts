import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream, type DialectName, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { streamedText as text, TEACHER as teacher, teacherRouter } from "../../test/helpers/fake-upstreams/teacher-router.js";
import { defaultConfig } from "../config/index.js";
import { userText } from "../protocol/index.js";
import { streamLimits } from "./timeouts.js";

/** Events that carry no text yet (a role chunk, `message_start`, …), and those up to the first text, per dialect. */
const beforeAnyText: Record<DialectName, number> = { openai: 1, anthropic: 3, gemini: 0, ollama: 0 };
const afterFirstText: Record<DialectName, number> = { openai: 2, anthropic: 4, gemini: 1, ollama: 1 };

describe("the router's default idle limit on streams", () => {
  it("is finite, in the config every router is built from", () => {
    const idleMs = defaultConfig({ env: {} }).router.timeouts.idleMs;
    expect(idleMs).toBeGreaterThanOrEqual(60_000);
    expect(idleMs).toBeLessThanOrEqual(300_000);
  });

  it("bounds the response and the first token of a target off this machine only: the local model, a peer or a loopback server may take minutes to read a long prompt", () => {
    expect(streamLimits({ idleMs: 1_000 }, true)).toEqual({ idleMs: 1_000, firstTokenMs: 1_000, connectMs: 1_000 });
    expect(streamLimits({ idleMs: 1_000 }, false)).toEqual({ idleMs: 1_000 });
    expect(streamLimits({ idleMs: 1_000, firstTokenMs: 5_000 }, true)).toEqual({ idleMs: 1_000, firstTokenMs: 5_000, connectMs: 1_000 });
  });

  it("is not overridden by a target's own timeouts that leave it unset", () => {
    const config = defaultConfig({ env: {} }, { router: { timeouts: { idleMs: 90_000 }, targetTimeouts: { "openai:gpt-4o-mini": { connectMs: 5_000 } } } }).router;
    expect(config.targetTimeouts["openai:gpt-4o-mini"]).toEqual({ connectMs: 5_000 });
    expect(config.timeouts.idleMs).toBe(90_000);
  });
});

describe.each(["openai", "anthropic", "gemini", "ollama"] as const)("a %s teacher that sends only keep-alives", (dialect) => {
  let primary: FakeUpstream;
  let backup: FakeUpstream;
  beforeAll(async () => {
    primary = await startFakeUpstream(dialect);
    backup = await startFakeUpstream("openai");
  });
  afterAll(async () => {
    await primary.close();
    await backup.close();
  });

  // Only the teacher's idle limit is set (short, the backup keeps the default): the wait for its
  // first token is bounded by it too.
  const build = () => teacherRouter({ dialect, url: primary.url, limits: { idleMs: 1_000 }, backupUrl: backup.url });

  it("before any text: the request moves on to the next target", async () => {
    primary.fail({ kind: "pings", afterEvents: beforeAnyText[dialect] });
    using built = build();
    const before = primary.chatCount;
    const parts = await streamParts(built.router.doStream({ messages: [userText("Hi")] }));
    expect(primary.chatCount - before).toBe(1);
    expect(text(parts)).toBe("Hello from the cloud.");
    expect(parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "backup", reason: "fallback" } });
    expect(built.log.list()[0]!.attempts.map((a) => [a.target, a.outcome, a.detail])).toEqual([
      [teacher[dialect], "failed", "timeout"],
      ["backup:llama", "ok", undefined],
    ]);
    await expect.poll(() => primary.inFlight, { timeout: 5_000 }).toBe(0);
  });

  it("after text: the answer ends with an explicit timeout error, never spliced with another target's", async () => {
    primary.fail({ kind: "pings", afterEvents: afterFirstText[dialect] });
    using built = build();
    const before = backup.chatCount;
    const parts = await streamParts(built.router.doStream({ messages: [userText("Hi")] }));
    expect(text(parts)).toBe("Hello");
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(0);
    expect(parts.at(-1)).toMatchObject({ type: "error", error: { code: "timeout", message: expect.stringMatching(/no next token/) } });
    expect(backup.chatCount - before).toBe(0);
    await expect.poll(() => primary.inFlight, { timeout: 5_000 }).toBe(0);
  });
});
