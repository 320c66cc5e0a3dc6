import path from "node:path";
import type { WrenConfig } from "../config/index.js";
import { DaemonAgentModel, type DaemonConnection } from "./daemon-agent-model.js";
import { daemonRefTarget, preferredDaemonModel } from "./daemon-preferred.js";
import { DaemonModelLoader } from "./daemon-loader.js";
import type { DaemonNotice } from "./daemon-notice.js";
import type { SessionTouch } from "./daemon-sessions.js";
import type { LocalForRouter } from "./router.js";
import type { Env } from "../shared/paths.js";

/** What both ways of loading in the background share. */
export interface BackgroundLoadOptions {
  config: WrenConfig;
  /** The session every request registers under, for `wren daemon status`. */
  session: SessionTouch;
  offline: boolean;
  env?: Env | undefined;
  /** How to run wren for the daemon: the program and leading arguments. Default: this process's own script. */
  command?: string[] | undefined;
  /** Hears what the user should be told of the daemon once it is reached. */
  onNotice?: ((notice: DaemonNotice) => void) | undefined;
}

/** `wren serve` flags for a daemon this session starts. */
function serveArgs(options: BackgroundLoadOptions): string[] | undefined {
  return options.offline ? ["--offline"] : undefined;
}

/**
 * Whether a teacher may answer while the local model loads: one is configured and cloud use is
 * not switched off. `ask` counts as may: the person is asked when the turn comes.
 */
export function teachersMayAnswer(config: WrenConfig, offline: boolean): boolean {
  const router = config.router;
  return router.teachers.length > 0 && router.cloud !== "never" && !router.offline && !offline;
}

/**
 * Connects a daemon-backed model through the loader: its first connection is the loader's load
 * (which may be under way already); a later one means the daemon died, so the loader loads again.
 */
export function loaderConnect(loader: DaemonModelLoader): () => Promise<DaemonConnection> {
  let first = true;
  return () => {
    if (!first) return loader.reload();
    first = false;
    return loader.load();
  };
}

/**
 * The router's local target for an interactive session: the daemon loads the model in the
 * background while teachers answer (reason `loading`); a turn no teacher may take waits for the load
 * (`whenReady`); once loaded, turns go to it.
 */
export function backgroundLocal(options: BackgroundLoadOptions, chosen: { ref: string | undefined; id: string }): { local: LocalForRouter; loader: DaemonModelLoader } {
  const args = serveArgs(options);
  // The router's local target under auto is models.default: asked for as the other daemon paths ask
  // for it (an alias as what it stands for; a running daemon serving another model answers, and says so).
  const configured = chosen.ref !== undefined && chosen.ref === options.config.models.default;
  const loader = new DaemonModelLoader({
    ref: configured ? undefined : chosen.ref,
    refTarget: configured ? undefined : daemonRefTarget(options.config, chosen.ref),
    preferred: configured ? preferredDaemonModel(options.config) : undefined,
    label: chosen.id,
    meanwhile: teachersMayAnswer(options.config, options.offline) ? "teacher" : "wait",
    ...(args ? { serveArgs: args } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.command ? { command: options.command } : {}),
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
  const model = new DaemonAgentModel({ modelId: chosen.id, session: options.session, connect: loaderConnect(loader) });
  return {
    loader,
    local: {
      id: chosen.id,
      model,
      // The daemon's, once it is reached (the largest that fits unless engine.contextSize is set).
      get contextLength() {
        return loader.contextLength ?? options.config.engine.contextSize;
      },
      isReady: loader.isReady,
      whenReady: loader.whenReady,
    },
  };
}

/**
 * The loader of a session whose only model is the daemon's (`--daemon`, or no teacher configured):
 * turns wait for it. `ref` undefined: the daemon's default, `models.default`.
 */
export function daemonOnlyLoader(options: BackgroundLoadOptions, ref: string | undefined): DaemonModelLoader {
  const args = serveArgs(options);
  const preferred = preferredDaemonModel(options.config);
  const named = ref ?? options.config.models.default;
  return new DaemonModelLoader({
    ref,
    refTarget: daemonRefTarget(options.config, ref),
    preferred,
    label: named ? path.basename(named).replace(/\.gguf$/i, "") : "the local model",
    meanwhile: "wait",
    ...(args ? { serveArgs: args } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.command ? { command: options.command } : {}),
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
  });
}
