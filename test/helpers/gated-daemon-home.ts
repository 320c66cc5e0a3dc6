import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AgentEvent, RunOutcome } from "../../src/agent/index.js";
import { loadConfig } from "../../src/config/index.js";
import { openAgentRun, type OpenedAgentRun } from "../../src/runtime/agent.js";
import { daemonFiles, readLock, type DaemonFiles } from "../../src/runtime/daemon-state.js";
import { stopDaemon } from "../../src/runtime/daemon.js";
import type { ModelLoadHandle, ModelLoadState } from "../../src/runtime/model-load-state.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { chat128k } from "./chat-model-128k.js";
import { cliPath } from "./cli.js";
import { projectRoot } from "./shared-models.js";

const gateScript = path.join(projectRoot, "test", "helpers", "daemon-gate.mjs");

/** One prompt run to its end: each turn's provenance, the error events, and the outcome. */
export interface TurnResult {
  outcome: RunOutcome;
  provenance: Array<Extract<AgentEvent, { type: "turn-end" }>["provenance"]>;
  errors: AgentEvent[];
}

/** A session whose local model load was started and has reached `ready`. */
export interface LoadedSession extends AsyncDisposable {
  run: OpenedAgentRun;
  load: ModelLoadHandle;
  /** The ready state it reached. */
  ready: ModelLoadState;
  /** Every state the load went through from its start (the ready one included). */
  phases: ModelLoadState[];
}

/** A turn sent while the daemon was held at its gate, then released. */
export interface GatedTurn extends TurnResult {
  /** Whether the turn had ended before the gate was opened (not, when it waited for the load). */
  endedBeforeRelease: boolean;
}

/**
 * One wren home with its daemon, started by the sessions through a gate: the daemon's process does
 * not start (so the model does not load) until {@link GatedDaemonHome.release}, whatever the
 * machine's speed. Its default model is the 128k ChatML model, on the CPU with one thread.
 */
export interface GatedDaemonHome {
  env: Record<string, string | undefined>;
  files: DaemonFiles;
  /** A new assistant session in the home's project, loading its model in the background. */
  open(): Promise<OpenedAgentRun>;
  /** Opens a session, starts its load and resolves once it is ready. */
  openLoaded(): Promise<LoadedSession>;
  /** Sends `prompt` in `run` while the gate holds the daemon, waits until its load is starting, then opens the gate. */
  turnThroughGate(run: OpenedAgentRun, prompt: string): Promise<GatedTurn>;
  /** The pid in the daemon's lock, if there is one. */
  daemonPid(): Promise<number | undefined>;
  /** Opens the gate: the daemon's process starts. */
  release(): void;
  stop(): Promise<unknown>;
}

/** Makes the {@link GatedDaemonHome} `root/name` (its project `root/name-project`), with `extraEnv` on top. */
export function gatedDaemonHome(root: string, name: string, extraEnv: Record<string, string>): GatedDaemonHome {
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
  const release = (): void => writeFileSync(gate, "");
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
  return {
    env,
    files,
    open,
    async openLoaded() {
      const run = await open();
      try {
        const load = run.localModel!;
        const phases = recordPhases(load);
        load.start();
        const ready = await whenPhase(load, "ready");
        return { run, load, ready, phases, [Symbol.asyncDispose]: () => run[Symbol.asyncDispose]() };
      } catch (error) {
        await run[Symbol.asyncDispose]();
        throw error;
      }
    },
    async turnThroughGate(run, prompt) {
      let ended = false;
      const waiting = runTurn(run, prompt).finally(() => (ended = true));
      await whenPhase(run.localModel!, "starting");
      const endedBeforeRelease = ended;
      release();
      return { ...(await waiting), endedBeforeRelease };
    },
    async daemonPid() {
      const found = await readLock(files);
      return found.kind === "lock" ? found.lock.pid : undefined;
    },
    release,
    stop: () => stopDaemon({ env }),
  };
}

/** Every state the load goes through from now on. */
export function recordPhases(handle: ModelLoadHandle): ModelLoadState[] {
  const seen: ModelLoadState[] = [];
  handle.subscribe((state) => seen.push(state));
  return seen;
}

/** Resolves at the first state of `wanted` (now or later); rejects if the load fails first. */
export function whenPhase(handle: ModelLoadHandle, wanted: ModelLoadState["phase"]): Promise<ModelLoadState> {
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

/** Runs one prompt to its end. */
export async function runTurn(run: OpenedAgentRun, prompt: string): Promise<TurnResult> {
  const events: AgentEvent[] = [];
  const generator = run.run(prompt);
  for (;;) {
    const next = await generator.next();
    if (next.done) {
      const provenance = events.flatMap((e) => (e.type === "turn-end" ? [e.provenance] : []));
      return { outcome: next.value, provenance, errors: events.filter((e) => e.type === "error") };
    }
    events.push(next.value);
  }
}
