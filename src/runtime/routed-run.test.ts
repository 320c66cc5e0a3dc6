import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { defaultConfig } from "../config/index.js";
import { collectStream } from "../protocol/index.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { CLI_NO_ASK_HINT, openRoutedModel } from "./routed-run.js";

const hi = { messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }] };

describe("openRoutedModel: the router as wren run uses it", () => {
  let teacher: FakeUpstream;
  let home: string;
  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-routed-run-"));
  });
  afterAll(async () => {
    await teacher?.close();
    await rm(home, { recursive: true, force: true });
  });

  const config = (router: Record<string, unknown>, models: Record<string, unknown> = {}) =>
    defaultConfig({ env: {} }, { models, router: { providers: { openai: { baseURL: `${teacher.url}/v1`, cloud: true } }, ...router } });
  const env = () => ({ WREN_HOME: home, OPENAI_API_KEY: "sk-test" });

  it("a local model loaded here: its context is the configured guess until it loads, and loadLocal loads it to say its own", async () => {
    const file = await syntheticModel({ contextLength: 1024 });
    const settings = config({});
    await using opened = openRoutedModel({ config: settings, name: file, env: env(), contextSize: "auto" });
    expect(opened.localContextKnown()).toBe(false);
    expect(opened.localContextLength()).toBe(settings.engine.contextSize);
    await opened.loadLocal();
    expect(opened.localContextKnown()).toBe(true);
    // "auto": the model's training context, which fits this machine.
    expect(opened.localContextLength()).toBe(1024);
    // Proxy-only: no local model, nothing to load or guess.
    await using proxyOnly = openRoutedModel({ config: config({ cloud: "allow", proxyOnly: true, teachers: ["openai:gpt-4o-mini"] }), name: "auto", env: env() });
    await proxyOnly.loadLocal();
    expect(proxyOnly.localContextKnown()).toBe(true);
  });

  it("provider:model with nothing else configured goes straight to it, and never opens the local model", async () => {
    // models.default names a file that does not exist: opening it would fail the request.
    const missing = path.join(home, "missing.gguf");
    for (const models of [{}, { default: missing }]) {
      await using opened = openRoutedModel({ config: config({ cloud: "allow" }, models), name: "openai:gpt-4o-mini", env: env() });
      const result = await opened.model.doGenerate(hi);
      expect(result.provenance).toMatchObject({ provider: "openai", model: "gpt-4o-mini", reason: "direct" });
    }
  });

  it("auto falls back to the teacher when the local model cannot be opened, and says so", async () => {
    await using opened = openRoutedModel({
      config: config({ cloud: "allow", teachers: ["openai:gpt-4o-mini"] }, { default: path.join(home, "missing.gguf") }),
      name: "auto",
      env: env(),
      offline: false,
    });
    expect(opened.localId).toBe("local:missing");
    const result = await collectStream(opened.model.doStream(hi));
    expect(result.provenance).toMatchObject({ provider: "openai", reason: "fallback", route: "default" });
  });

  it("cloud ask: asks once per session through `ask`; without it, refuses with the CLI's hint", async () => {
    const asked: string[] = [];
    await using opened = openRoutedModel({
      config: config({ cloud: "ask" }),
      name: "openai:gpt-4o-mini",
      env: env(),
      ask: (target) => (asked.push(target), Promise.resolve(true)),
    });
    await opened.model.doGenerate(hi);
    await opened.model.doGenerate(hi);
    expect(asked).toEqual(["openai:gpt-4o-mini"]);

    const before = teacher.chatCount;
    await using refusing = openRoutedModel({ config: config({ cloud: "ask" }), name: "openai:gpt-4o-mini", env: env() });
    const error = await refusing.model.doGenerate(hi).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "forbidden", hint: CLI_NO_ASK_HINT });
    expect(teacher.chatCount).toBe(before);
  });
});
