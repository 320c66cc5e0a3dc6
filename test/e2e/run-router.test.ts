import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/router/decisions.js";
import { runCli } from "../helpers/cli.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe("wren run through the router: auto, routes and provider:model", () => {
  let teacher: FakeUpstream;
  let home: string;
  let cwd: string;

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-run-router-home-"));
    cwd = await mkdtemp(path.join(os.tmpdir(), "wren-run-router-cwd-"));
  });
  afterAll(async () => {
    await teacher?.close();
    await rm(home, { recursive: true, force: true });
    await rm(cwd, { recursive: true, force: true });
  });

  /** Config from the environment only: no local model unless a test sets one. */
  const env = (extra: Record<string, string> = {}) => ({
    WREN_HOME: home,
    WREN_MODELS_DEFAULT: "",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: `${teacher.url}/v1`, cloud: true } }),
    OPENAI_API_KEY: "sk-test",
    // auto's local model is the embedded default when none is configured; its download must fail
    // here at once, never reach the real Hub.
    HF_ENDPOINT: "http://127.0.0.1:9",
    ...extra,
  });
  const run = (args: string[], extra?: Record<string, string>) => runCli(["run", ...args], { env: env(extra), cwd });

  it("provider:model: prints the teacher's text, and the stats line says who answered and why", async () => {
    const before = teacher.chatCount;
    const r = await run(["--model", "openai:gpt-4o-mini", "hi"]);
    expect(r.stderr).toMatch(/prompt tokens, \d+ completion tokens, .*answered by openai:gpt-4o-mini \(route direct, reason direct\)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Hello from the cloud.\n");
    expect(teacher.chatCount).toBe(before + 1);
    const sent = teacher.requests.at(-1)!.body;
    expect(sent["model"]).toBe("gpt-4o-mini");
    expect(JSON.stringify(sent["messages"])).toContain("hi");

    // The decision is where `wren router log` reads it.
    const lines = (await readFile(path.join(home, "state", "router-decisions.jsonl"), "utf8")).trim().split("\n");
    const last = JSON.parse(lines.at(-1)!) as Decision;
    expect([last.requestedModel, last.provider, last.model, last.reason, last.outcome]).toEqual(["openai:gpt-4o-mini", "openai", "gpt-4o-mini", "direct", "ok"]);
  });

  it("--json includes the provenance", async () => {
    const r = await run(["--model", "openai:gpt-4o-mini", "--json", "hi"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out["text"]).toBe("Hello from the cloud.");
    expect(out["provenance"]).toEqual({ provider: "openai", model: "gpt-4o-mini", reason: "direct", route: "direct" });
    expect(out["model"]).toMatchObject({ requested: "openai:gpt-4o-mini" });
    expect(out["finishReason"]).toBe("stop");
  });

  it("auto and a route name go through the policy to the teachers when the local default cannot be had", async () => {
    const extra = { WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini", WREN_ROUTER_ROUTES: JSON.stringify({ smart: "openai:gpt-4.1" }) };
    const auto = await run(["--model", "auto", "hi"], extra);
    expect(auto.code).toBe(0);
    expect(auto.stdout).toBe("Hello from the cloud.\n");
    // auto tried the embedded default first (as plain `wren run` would), said so, and fell back.
    expect(auto.stderr).toMatch(/no model is configured, so wren is downloading its default/);
    expect(auto.stderr).toMatch(/answered by openai:gpt-4o-mini \(route default, reason fallback\)/);
    const smart = await run(["--model", "smart", "--json", "hi"], extra);
    expect(smart.code).toBe(0);
    expect((JSON.parse(smart.stdout) as { provenance: unknown }).provenance).toMatchObject({ provider: "openai", model: "gpt-4.1", route: "smart" });
    expect(teacher.requests.at(-1)!.body["model"]).toBe("gpt-4.1");
  });

  it('cloud "never" (in wren.toml) and --offline refuse with a clear error, and nothing reaches the teacher', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), "wren-run-router-never-"));
    try {
      // The provider's address is the run's (a project's wren.toml may not choose a provider's server).
      await writeFile(path.join(project, "wren.toml"), '[router]\ncloud = "never"\n');
      const before = teacher.chatCount;
      const never = await runCli(["run", "--model", "openai:gpt-4o-mini", "hi"], {
        env: { WREN_HOME: home, WREN_MODELS_DEFAULT: "", OPENAI_API_KEY: "sk-test", WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: `${teacher.url}/v1`, apiKey: "sk-test", cloud: true } }) },
        cwd: project,
      });
      expect(never.code).not.toBe(0);
      expect(never.stdout).toBe("");
      expect(never.stderr).toMatch(/^wren: Cloud use is off: openai:gpt-4o-mini was not called\..*router\.cloud = "allow"/);
      const offline = await run(["--model", "openai:gpt-4o-mini", "--offline", "hi"]);
      expect(offline.code).not.toBe(0);
      expect(offline.stderr).toMatch(/Cloud use is off \(--offline\): openai:gpt-4o-mini was not called/);
      expect(teacher.chatCount).toBe(before);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('cloud "ask" with no terminal to ask on refuses, saying how to allow it', async () => {
    const before = teacher.chatCount;
    const r = await run(["--model", "openai:gpt-4o-mini", "hi"], { WREN_ROUTER_CLOUD: "ask" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Cloud use needs consent: openai:gpt-4o-mini was not called\..*Run wren in a terminal to be asked.*WREN_ROUTER_CLOUD=allow/);
    expect(teacher.chatCount).toBe(before);
  });

  it("--raw cannot go through the router; with nowhere to send auto, it says what to configure", async () => {
    const raw = await run(["--model", "openai:gpt-4o-mini", "--raw", "hi"]);
    expect(raw.code).toBe(2);
    expect(raw.stderr).toMatch(/--raw needs a local model.*pass --model PATH/);
    // No teacher and no local model to be had: auto's one target is the embedded default, whose download fails.
    const nowhere = await run(["--model", "auto", "hi"]);
    expect(nowhere.code).not.toBe(0);
    expect(nowhere.stderr).toMatch(/downloading its default[\s\S]*Pass --model PATH/);
  });

  describe.runIf(hasSharedModels)("with a local model in config", () => {
    const local = { WREN_MODELS_DEFAULT: sharedModels.chat, WREN_ENGINE_CONTEXT_SIZE: "256", WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini" };

    it("auto: the local model answers what fits (reason local), the teacher what does not (reason context)", async () => {
      const before = teacher.chatCount;
      const fits = await run(["--model", "auto", "--temperature", "0", "--seed", "42", "--json", "Say hello."], local);
      expect(fits.code).toBe(0);
      const out = JSON.parse(fits.stdout) as { text: string; provenance: unknown };
      expect(out.text).toBe(CHAT_MODEL_REPLY);
      expect(out.provenance).toEqual({ provider: "local", model: "synthetic-bigram-chatml", reason: "local", route: "default" });
      expect(teacher.chatCount).toBe(before);

      const long = await run(["--model", "auto", "hello world ".repeat(400)], local);
      expect(long.code).toBe(0);
      expect(long.stdout).toBe("Hello from the cloud.\n");
      expect(long.stderr).toMatch(/answered by openai:gpt-4o-mini \(route default, reason context\)/);
      expect(teacher.chatCount).toBe(before + 1);
    });
  });
});
