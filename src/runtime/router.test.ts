import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../../test/helpers/shared-models.js";
import { defaultConfig } from "../config/index.js";
import { Engine, type LocalModel } from "../engine/index.js";
import { resultText, userText } from "../protocol/index.js";
import { DecisionLog } from "../router/decisions.js";
import { buildRouter, normalizeRoute } from "./router.js";
import { DecisionsFile } from "./decisions-file.js";

function routerConfig(overrides: Record<string, unknown>) {
  return defaultConfig({ env: {} }, { router: { healthIntervalMs: 0, ...overrides } }).router;
}

describe("router composition from config, against fake cloud providers", () => {
  let openai: FakeUpstream;
  let anthropic: FakeUpstream;
  beforeAll(async () => {
    openai = await startFakeUpstream("openai");
    anthropic = await startFakeUpstream("anthropic");
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });

  const providers = () => ({
    openai: { baseURL: `${openai.url}/v1`, cloud: true },
    anthropic: { baseURL: anthropic.url, cloud: true },
  });

  it("proxy-only: teachers in order; a teacher whose key is missing is skipped with an error naming the variable", async () => {
    const { router, log } = buildRouter({
      config: routerConfig({ cloud: "allow", proxyOnly: true, teachers: ["anthropic:claude-sonnet-4-6", "openai:gpt-4o-mini"], providers: providers() }),
      env: { OPENAI_API_KEY: "sk-test" },
    });
    const result = await router.doGenerate({ messages: [userText("Hi")] });
    expect(resultText(result)).toBe("Hello from the cloud.");
    expect(result.provenance).toMatchObject({ provider: "openai", model: "gpt-4o-mini", reason: "fallback", route: "default" });
    expect(log.list()[0]!.attempts[0]).toMatchObject({ target: "anthropic:claude-sonnet-4-6", outcome: "failed", detail: "unauthorized" });
    await expect(router.model("anthropic:claude-sonnet-4-6").doGenerate({ messages: [userText("Hi")] })).rejects.toThrow(/ANTHROPIC_API_KEY/);
    expect(anthropic.chatCount).toBe(0);
  });

  it("an explicit provider:model goes straight to it; named routes come from config", async () => {
    const { router } = buildRouter({
      config: routerConfig({
        cloud: "allow",
        proxyOnly: true,
        teachers: ["openai:gpt-4o-mini"],
        providers: providers(),
        routes: { smart: { type: "fallback", targets: ["anthropic:claude-sonnet-4-6", "openai:gpt-4o-mini"] } },
      }),
      env: { OPENAI_API_KEY: "sk", ANTHROPIC_API_KEY: "sk-ant" },
    });
    expect((await router.model("openai:gpt-4.1").doGenerate({ messages: [userText("Hi")] })).provenance).toMatchObject({ model: "gpt-4.1", reason: "direct" });
    expect(openai.requests.at(-1)!.body["model"]).toBe("gpt-4.1");
    expect((await router.model("smart").doGenerate({ messages: [userText("Hi")] })).provenance).toMatchObject({ provider: "anthropic", route: "smart", reason: "primary" });
  });

  it("cloud never (and --offline): the fakes standing in for the cloud receive no request at all, probes included", async () => {
    const before = { openai: openai.requests.length, anthropic: anthropic.requests.length };
    for (const setup of [{ cloud: "never" }, { cloud: "allow", offline: true }]) {
      const built = buildRouter({
        config: routerConfig({ ...setup, healthIntervalMs: 10, proxyOnly: true, teachers: ["anthropic:claude-sonnet-4-6", "openai:gpt-4o-mini"], providers: providers() }),
        env: { OPENAI_API_KEY: "sk", ANTHROPIC_API_KEY: "sk-ant" },
      });
      await expect(built.router.doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "forbidden" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      built[Symbol.dispose]();
    }
    expect(openai.requests.length).toBe(before.openai);
    expect(anthropic.requests.length).toBe(before.anthropic);
  });

  it("appends decisions to a file for wren router log", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-router-"));
    try {
      const file = path.join(dir, "state", "router-decisions.jsonl");
      const built = buildRouter({
        config: routerConfig({ cloud: "allow", proxyOnly: true, teachers: ["openai:gpt-4o-mini"], providers: providers(), prices: { "openai:*": { input: 1, output: 2 } } }),
        env: { OPENAI_API_KEY: "sk" },
        decisionsFile: file,
      });
      await built.router.doGenerate({ messages: [userText("Hi")] });
      // Disposing the router writes the decisions still waiting for the end of the turn.
      built[Symbol.dispose]();
      const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { provider: string; costUsd: number });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ provider: "openai", costUsd: (12 * 1 + 5 * 2) / 1e6 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("turns config shorthand into route nodes", () => {
    expect(
      normalizeRoute({
        type: "conditional",
        branches: [{ when: { hasTools: true }, then: "anthropic:claude-sonnet-4-6", reason: "tools" }],
        otherwise: { type: "fallback", onStatus: [429], targets: ["local:qwen", { type: "loadbalance", targets: [{ weight: 2, route: "openai:gpt" }] }] },
      }),
    ).toEqual({
      type: "conditional",
      branches: [{ when: { hasTools: true }, then: { type: "target", target: "anthropic:claude-sonnet-4-6" }, reason: "tools" }],
      otherwise: {
        type: "fallback",
        onStatus: [429],
        targets: [{ type: "target", target: "local:qwen" }, { type: "loadbalance", targets: [{ weight: 2, node: { type: "target", target: "openai:gpt" } }] }],
      },
    });
  });

  it("rolls the decisions file over past its size limit", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-router-roll-"));
    try {
      const file = path.join(dir, "decisions.jsonl");
      const log = new DecisionLog();
      const writer = new DecisionsFile(log, file, 600);
      // One decision per turn of the event loop, as requests end: each turn's lines are written together.
      for (let i = 0; i < 5; i++) {
        log.record({ id: i, at: "2026-11-21T00:00:00.000Z", route: "default", requestedModel: "auto", outcome: "ok", attempts: [], costUsd: 0, ms: 1 });
        writer.flush();
      }
      writer.close();
      expect(existsSync(`${file}.1`)).toBe(true);
      expect(statSync(file).size).toBeLessThanOrEqual(600);
      const ids = [`${file}.1`, file].flatMap((f) => readFileSync(f, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { id: number }).id));
      expect(ids.at(-1)).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says what to configure when there is nowhere to route", () => {
    expect(() => buildRouter({ config: routerConfig({ proxyOnly: true }) })).toThrow(expect.objectContaining({ code: "config_invalid", hint: expect.stringContaining("router.teachers") }));
  });
});

describe.runIf(hasSharedModels)("router with the real local engine", () => {
  let engine: Engine;
  let chat: LocalModel;
  let teacher: FakeUpstream;
  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    chat = await engine.loadModel(sharedModels.chat, { contextSize: 256 });
    teacher = await startFakeUpstream("openai");
  });
  afterAll(async () => {
    await teacher.close();
    await engine.dispose();
  });

  it("answers locally when the request fits, and sends a longer one to the teacher with reason context", async () => {
    const { router } = buildRouter({
      config: routerConfig({ cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${teacher.url}/v1` } } }),
      local: { id: "chat", model: chat, contextLength: chat.info.contextSize },
      env: { OPENAI_API_KEY: "sk" },
    });
    const short = await router.doGenerate({ messages: [userText("Hi")], maxOutputTokens: 16 });
    expect(resultText(short)).toBe(CHAT_MODEL_REPLY);
    expect(short.provenance).toMatchObject({ provider: "local", model: "chat", reason: "local" });
    expect(teacher.chatCount).toBe(0);

    const long = await router.doGenerate({ messages: [userText("tell me a story ".repeat(200))], maxOutputTokens: 16 });
    expect(resultText(long)).toBe("Hello from the cloud.");
    expect(long.provenance).toMatchObject({ provider: "openai", reason: "context" });
    expect(teacher.chatCount).toBe(1);
  });
});
