import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent, RunOutcome } from "../../src/agent/index.js";
import { loadConfig } from "../../src/config/index.js";
import { openAgentRun, type OpenedAgentRun } from "../../src/runtime/agent.js";
import { daemonLoad } from "../../src/runtime/daemon-load.js";
import { daemonFiles, readLock } from "../../src/runtime/daemon-state.js";
import { daemonStatus, stopDaemon } from "../../src/runtime/daemon.js";
import type { ModelLoadHandle, ModelLoadState } from "../../src/runtime/model-load-state.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { cliPath } from "../helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { CHAT_MODEL_REPLY, hasSharedModels, projectRoot, sharedModelsDir } from "../helpers/shared-models.js";

/** The ChatML model with a 128k context: the assistant's system prompt and tool list need ~8k tokens. */
const chat128k = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");
const MODEL_ID = "synthetic-bigram-chatml-128k";
const gateScript = path.join(projectRoot, "test", "helpers", "daemon-gate.mjs");
const TEACHER_TEXT = "The teacher answers while the local model loads.";

/** Starting a daemon and loading a model under a loaded 2-core CI takes a while. */
const SLOW = 180_000;

/**
 * One wren home with its daemon, started by the sessions through a gate: the daemon's process does
 * not start (so the model does not load) until {@link release}, whatever the machine's speed.
 */
function daemonHome(root: string, name: string, extraEnv: Record<string, string>) {
  const home = path.join(root, name);
  const project = path.join(root, `${name}-project`);
  mkdirSync(project, { recursive: true });
  const gate = path.join(root, `${name}.gate`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    WREN_HOME: home,
    WREN_MODELS_DEFAULT: chat128k,
    WREN_ENGINE_CONTEXT_SIZE: "16384",
    WREN_ENGINE_GPU: "cpu",
    WREN_ENGINE_THREADS: "1",
    WREN_SERVER_PORT: "0",
    ...extraEnv,
  };
  const files = daemonFiles(resolvePaths(env).stateDir);
  const open = async (): Promise<OpenedAgentRun> => {
    const { config } = await loadConfig({ env, cwd: project, home: root });
    return openAgentRun({
      config,
      cwd: project,
      allow: [],
      deny: [],
      env,
      signal: new AbortController().signal,
      loadInBackground: true,
      daemonCommand: [process.execPath, gateScript, gate, cliPath],
    });
  };
  const daemonPid = async (): Promise<number | undefined> => {
    const found = await readLock(files);
    return found.kind === "lock" ? found.lock.pid : undefined;
  };
  return { env, files, open, daemonPid, release: () => writeFileSync(gate, ""), stop: () => stopDaemon({ env }) };
}

/** Every state the load goes through from now on. */
function recordPhases(handle: ModelLoadHandle): ModelLoadState[] {
  const seen: ModelLoadState[] = [];
  handle.subscribe((state) => seen.push(state));
  return seen;
}

/** Resolves at the first state of `phase` (now or later). */
function phase(handle: ModelLoadHandle, wanted: ModelLoadState["phase"]): Promise<ModelLoadState> {
  if (handle.state.phase === wanted) return Promise.resolve(handle.state);
  return new Promise((resolve, reject) => {
    const off = handle.subscribe((state) => {
      if (state.phase === wanted) {
        off();
        resolve(state);
      } else if (state.phase === "failed") {
        off();
        reject(new Error(`the load failed: ${state.error?.message}`));
      }
    });
  });
}

/** Runs one prompt to its end: its text, each turn's provenance, and the outcome. */
async function turn(run: OpenedAgentRun, prompt: string) {
  const events: AgentEvent[] = [];
  const generator = run.run(prompt);
  let outcome: RunOutcome;
  for (;;) {
    const next = await generator.next();
    if (next.done) {
      outcome = next.value;
      break;
    }
    events.push(next.value);
  }
  const provenance = events.flatMap((e) => (e.type === "turn-end" ? [e.provenance] : []));
  return { outcome, provenance, errors: events.filter((e) => e.type === "error") };
}

describe.runIf(hasSharedModels)("the assistant's local model, loaded in the background by the daemon", () => {
  let root: string;
  let teacher: ScriptedTeacher;
  const homes: Array<ReturnType<typeof daemonHome>> = [];
  const teacherEnv = (cloud: string): Record<string, string> => ({
    WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini"]),
    WREN_ROUTER_CLOUD: cloud,
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }),
    OPENAI_API_KEY: "sk-test",
  });

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-background-load-"));
    teacher = await startScriptedTeacher(() => ({ text: TEACHER_TEXT }));
  });
  afterAll(async () => {
    // A daemon still held at its gate exits when the folder goes; the others are stopped.
    for (const home of homes) await home.stop().catch(() => undefined);
    await teacher?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(
    "answers with the teacher while the model loads (reason loading), locally once loaded, and a second session finds it warm",
    async () => {
      const home = daemonHome(root, "teach", teacherEnv("allow"));
      homes.push(home);
      {
        await using run = await home.open();
        const load = run.localModel!;
        expect(load.state).toMatchObject({ phase: "idle", model: MODEL_ID, meanwhile: "teacher" });
        const phases = recordPhases(load);
        load.start();
        // The daemon is held at the gate: the model cannot be loaded while this turn runs.
        await phase(load, "starting");
        const during = await turn(run, "Say hello.");
        expect(during.errors).toEqual([]);
        expect(during.outcome).toMatchObject({ reason: "done", result: TEACHER_TEXT });
        expect(during.provenance).toEqual([{ provider: "openai", model: "gpt-4o-mini", reason: "loading", route: "default" }]);
        expect(load.state.phase).toBe("starting");

        home.release();
        const ready = await phase(load, "ready");
        expect(ready).toMatchObject({ model: MODEL_ID, warm: false });
        expect(phases.map((s) => s.phase)).toContain("starting");
        const after = await turn(run, "Say hello again.");
        expect(after.errors).toEqual([]);
        expect(after.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
        expect(after.provenance).toEqual([{ provider: "local", model: MODEL_ID, reason: "local", route: "default" }]);
        expect(teacher.requests).toHaveLength(1);
      }
      const pid = await home.daemonPid();
      expect(pid).toBeGreaterThan(0);
      // The daemon reports its model loaded, to this user only.
      const found = await readLock(home.files);
      expect(found.kind === "lock" ? await daemonLoad(found.lock) : undefined).toEqual({ phase: "ready", model: MODEL_ID });

      // A second session: the daemon (the same process) already has the model, so nothing loads.
      await using second = await home.open();
      const load = second.localModel!;
      const phases = recordPhases(load);
      load.start();
      expect(await phase(load, "ready")).toMatchObject({ model: MODEL_ID, warm: true });
      expect(phases.map((s) => s.phase)).toEqual(["ready"]);
      expect(await home.daemonPid()).toBe(pid);
      const first = await turn(second, "Say hello.");
      expect(first.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      expect(first.provenance).toEqual([{ provider: "local", model: MODEL_ID, reason: "local", route: "default" }]);
      expect(teacher.requests).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "makes a turn wait for the load when no teacher may answer, then answers it locally",
    async () => {
      const home = daemonHome(root, "wait", teacherEnv("never"));
      homes.push(home);
      const before = teacher.requests.length;
      await using run = await home.open();
      const load = run.localModel!;
      expect(load.state).toMatchObject({ phase: "idle", meanwhile: "wait" });
      let ended = false;
      // Nobody started the load: the turn itself asks for it, and waits.
      const waiting = turn(run, "Say hello.").finally(() => (ended = true));
      await phase(load, "starting");
      // Held at the gate, the model cannot have loaded, so the turn cannot have ended.
      expect(ended).toBe(false);
      home.release();
      const done = await waiting;
      expect(done.errors).toEqual([]);
      expect(done.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      expect(done.provenance).toEqual([{ provider: "local", model: MODEL_ID, reason: "local", route: "default" }]);
      expect(load.state).toMatchObject({ phase: "ready", warm: false });
      expect(teacher.requests.length).toBe(before);

      // The daemon unloads its idle model (Ollama's keep_alive 0 does it now); a new session asks for it again.
      const status = await daemonStatus({ env: home.env });
      const unload = await fetch(`${status.url}/api/generate`, { method: "POST", body: JSON.stringify({ model: MODEL_ID, keep_alive: 0 }) });
      expect(unload.status).toBe(200);
      await unload.body?.cancel();
      const found = await readLock(home.files);
      expect(found.kind === "lock" ? await daemonLoad(found.lock) : undefined).toEqual({ phase: "unloaded", model: MODEL_ID });
      await using next = await home.open();
      const reload = next.localModel!;
      const phases = recordPhases(reload);
      reload.start();
      expect(await phase(reload, "ready")).toMatchObject({ model: MODEL_ID, warm: false });
      // Not warm: the daemon loaded it again. Whether a poll caught it mid-load depends on how fast
      // the tiny model loads, so only the phases it can never pass through are checked.
      expect(phases.map((p) => p.phase).filter((p) => p === "starting" || p === "failed")).toEqual([]);
      expect(await home.daemonPid()).toBe(status.pid);
      const again = await turn(next, "Say hello.");
      expect(again.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      expect(again.provenance).toEqual([{ provider: "local", model: MODEL_ID, reason: "local", route: "default" }]);
    },
    SLOW,
  );

  it(
    "makes a turn wait for the load when no teacher is configured, then answers it with the daemon's model",
    async () => {
      const home = daemonHome(root, "only", {});
      homes.push(home);
      await using run = await home.open();
      const load = run.localModel!;
      expect(load.state).toMatchObject({ phase: "idle", model: MODEL_ID, meanwhile: "wait" });
      let ended = false;
      const waiting = turn(run, "Say hello.").finally(() => (ended = true));
      await phase(load, "starting");
      expect(ended).toBe(false);
      home.release();
      const done = await waiting;
      expect(done.errors).toEqual([]);
      expect(done.outcome).toMatchObject({ reason: "done", result: CHAT_MODEL_REPLY });
      // Only the daemon's model can answer: its provenance is what the daemon reports.
      expect(done.provenance).toEqual([{ provider: "local", model: MODEL_ID, reason: "direct", route: "direct" }]);
      expect(load.state).toMatchObject({ phase: "ready", model: MODEL_ID, warm: false });
    },
    SLOW,
  );
});
