import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chat128k } from "../../test/helpers/chat-model-128k.js";
import { cliPath } from "../../test/helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../../test/helpers/fake-upstreams/scripted-teacher.js";
import { runTurn } from "../../test/helpers/gated-daemon-home.js";
import { hasSharedModels, projectRoot } from "../../test/helpers/shared-models.js";
import type { Interaction } from "../agent/index.js";
import { loadConfig } from "../config/index.js";
import { openAgentRun } from "./agent.js";

/** The person at the terminal, never asked anything here. */
const person = {
  askPermission: () => Promise.resolve({ reply: "reject" }),
  reviewPlan: () => Promise.resolve({ verdict: "rejected" }),
} as unknown as Interaction;

const gateScript = path.join(projectRoot, "test", "helpers", "daemon-gate.mjs");

describe.runIf(hasSharedModels)("the terminal UI resuming a session while the daemon still loads the local model", () => {
  let root: string;
  let project: string;
  let teacher: ScriptedTeacher;
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-background-context-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    teacher = await startScriptedTeacher(() => ({ text: "The teacher answers." }));
  });
  afterAll(async () => {
    await teacher.close();
    // The gated daemon, never let through, exits when its folder goes.
    rmSync(root, { recursive: true, force: true });
  });

  it("does not compact on the configured 4,096-token window: a teacher answers meanwhile, and its window counts", async () => {
    const base = {
      WREN_HOME: path.join(root, "home"),
      WREN_MODELS_DEFAULT: chat128k,
      WREN_ENGINE_GPU: "cpu",
      WREN_ENGINE_THREADS: "1",
      WREN_SERVER_PORT: "0",
      WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini"]),
      WREN_ROUTER_CLOUD: "allow",
      WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }),
      OPENAI_API_KEY: "sk-test",
    };
    // An earlier session the local model answered, in this process, on a 32k window: three prompts
    // of some 1,100 tokens each, past 80% of 4,096 tokens with the instructions, far under 32k.
    {
      const env = { ...process.env, ...base, WREN_ENGINE_CONTEXT_SIZE: "32768" };
      const { config } = await loadConfig({ env, cwd: project, home: root });
      await using run = await openAgentRun({ config, allow: [], deny: [], cwd: project, env, daemon: false, signal: new AbortController().signal });
      for (const n of [1, 2, 3]) {
        const turn = await runTurn(run, `Note ${n}: ${"the wren nests in hedges and sings loudly. ".repeat(100)}`);
        expect(turn.errors).toEqual([]);
        expect(turn.provenance.map((p) => p?.provider)).toEqual(["local"]);
      }
    }
    // Resumed in the terminal UI with no context size set: the daemon (held at its gate) has not said its window.
    const env = { ...process.env, ...base };
    const { config } = await loadConfig({ env, cwd: project, home: root });
    expect(config.engine.contextSize).toBe(4096);
    await using run = await openAgentRun({
      config,
      allow: [],
      deny: [],
      cwd: project,
      env,
      continueLast: true,
      loadInBackground: true,
      interaction: person,
      daemonCommand: [process.execPath, gateScript, path.join(root, "gate"), cliPath],
      signal: new AbortController().signal,
    });
    run.localModel!.start();
    const events: string[] = [];
    const generator = run.run("And then?");
    let next = await generator.next();
    while (!next.done) {
      events.push(next.value.type);
      if (next.value.type === "turn-end") expect(next.value.provenance).toMatchObject({ provider: "openai", reason: "loading" });
      next = await generator.next();
    }
    expect(next.value).toMatchObject({ reason: "done", result: "The teacher answers." });
    expect(events).not.toContain("compaction");
    // One request, the turn's: no summary was asked for, and the whole conversation went.
    expect(teacher.requests).toHaveLength(1);
    expect(teacher.requests[0]!.messages).toHaveLength(1 + 6 + 1);
    expect(run.localModel!.state.phase).not.toBe("ready");
  }, 120_000);
});
