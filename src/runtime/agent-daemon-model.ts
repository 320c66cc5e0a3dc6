import type { WrenConfig } from "../config/index.js";
import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import { loaderConnect } from "./agent-background-load.js";
import { DaemonAgentModel, type DaemonConnection } from "./daemon-agent-model.js";
import type { DaemonModelLoader } from "./daemon-loader.js";
import { daemonNotices, type DaemonNotice } from "./daemon-notice.js";

/** Options of {@link openAgentDaemonModel}. */
export interface AgentDaemonModelOptions {
  /** What the session asked for: `auto`/`default` (the daemon's model) or a local model's path, id or `local:<id>`. */
  name: string;
  /** What `name`'s local model stands for when it is an alias in the session's configuration (see `daemonRefTarget`). */
  refTarget?: string | undefined;
  sessionId: string;
  cwd: string;
  /** The model the session's configuration names for `auto`/`default` (see `preferredDaemonModel`). */
  preferred?: string | readonly string[] | undefined;
  /** Engine flags for `wren serve` in case the daemon has to be started. */
  serveArgs?: string[];
  env?: Env;
  /** Loads the model in the background (the terminal UI), with its progress; default: loaded by the first request. */
  loader?: DaemonModelLoader | undefined;
  /** Hears what the user should be told of the daemon, each time it is reached (the loader's own option with a loader). */
  onNotice?: ((notice: DaemonNotice) => void) | undefined;
}

/** The local model ref the daemon is asked to serve; undefined means its default. */
export function daemonRef(name: string): string | undefined {
  if (name === "auto" || name === "default") return undefined;
  if (name.startsWith("local:")) return name.slice("local:".length);
  // A Windows path (C:\…) is a file, not provider:model.
  if (/^[a-z][\w-]*:/i.test(name) && !/^[a-z]:[\\/]/i.test(name)) {
    throw new WrenError("bad_request", `--daemon answers with local models, and "${name}" names another provider.`, {
      hint: "Drop --daemon (or pass --no-daemon) to reach that provider from this process, or name a local model.",
    });
  }
  return name;
}

/**
 * Whether `wren -p` goes through the daemon when neither `--daemon` nor `--no-daemon` is given: yes
 * when only a local model can answer (`local:…`, a GGUF file or an alias of one, or `auto` with no
 * teachers or routes configured), so it stays loaded between runs and a daemon that holds it already
 * is not joined by a second copy in this process. Teachers are reached from the user's process,
 * where the cloud-use question can be asked. A store name (`qwen3:0.6b`), or an alias of one, is
 * loaded here: a running daemon that does not serve it would refuse it, where a GGUF file is added.
 */
export function daemonByDefault(config: WrenConfig, name: string): boolean {
  if (name.startsWith("local:")) return true;
  if (name === "auto" || name === "default") {
    return !config.router.proxyOnly && config.router.teachers.length === 0 && Object.keys(config.router.routes).length === 0;
  }
  // An alias stands for its file, as `models.default` naming an alias does under auto.
  const target = config.models.aliases[name];
  return /\.gguf$/i.test(target ?? name);
}

/** The daemon's model for one run, with what the daemon says of it. */
export interface AgentDaemonModel {
  model: DaemonAgentModel;
  /** The context each request gets from the daemon's model, once reached; undefined before. */
  contextLength(): number | undefined;
  /**
   * Reaches the daemon now (starting it and loading the model when need be) and returns its
   * context; the connection is the one the first request uses, so nothing is done twice.
   */
  reach(): Promise<number | undefined>;
}

/**
 * The assistant's model through the background daemon (`wren -p --daemon`): started on demand, it
 * keeps the local model loaded between runs, while the loop and the tools stay in this process.
 */
export function openAgentDaemonModel(options: AgentDaemonModelOptions): AgentDaemonModel {
  const ref = daemonRef(options.name);
  const open: () => Promise<DaemonConnection> = options.loader
    ? loaderConnect(options.loader)
    : async () => {
        // The OpenAI SDK is loaded only when the daemon is used.
        const { openDaemonModel } = await import("./daemon-model.js");
        const opened = await openDaemonModel({ ref, refTarget: options.refTarget, preferred: options.preferred, ...(options.serveArgs ? { serveArgs: options.serveArgs } : {}), ...(options.env ? { env: options.env } : {}) });
        for (const notice of daemonNotices(opened)) options.onNotice?.(notice);
        return { model: opened.model, lock: opened.lock, contextLength: opened.contextLength };
      };
  let contextLength: number | undefined;
  const connect = async (): Promise<DaemonConnection> => {
    const connection = await open();
    contextLength = connection.contextLength;
    return connection;
  };
  // A connection made by reach() before any request: the first request takes it over.
  let early: Promise<DaemonConnection> | undefined;
  const model = new DaemonAgentModel({
    modelId: ref ?? options.name,
    session: { id: options.sessionId, cwd: options.cwd, model: options.name },
    connect: () => {
      const connection = early ?? connect();
      early = undefined;
      return connection;
    },
  });
  return {
    model,
    contextLength: () => contextLength,
    reach: async () => {
      if (contextLength !== undefined) return contextLength;
      const reaching = (early ??= connect());
      try {
        await reaching;
      } catch (error) {
        // A failed attempt is not handed to the first request: it tries afresh, as it would have.
        if (early === reaching) early = undefined;
        throw error;
      }
      return contextLength;
    },
  };
}
