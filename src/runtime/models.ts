import { loadConfig } from "../config/index.js";
import { createProgressRenderer, resolveModelRef, type ResolvedModel } from "../models/index.js";
import type { Env } from "../shared/paths.js";

/** Where models live and the names users gave them, from the effective config. */
export interface ModelsContext {
  modelsDir: string;
  aliases: Readonly<Record<string, string>>;
  env: Env;
  /** Hub token from config (`models.token`); HF_TOKEN wins. */
  token?: string | undefined;
  /** `router.offline` (config or WREN_ROUTER_OFFLINE): nothing beyond this machine's loopback is asked. */
  offline?: boolean;
}

export interface ModelsContextOptions {
  /** `--models-dir`, overriding config and WREN_MODELS_DIR. */
  modelsDir?: string | undefined;
  env?: Env;
  /** `false` reads no project `wren.toml` (the daemon's, which serves every project); default: the one found from the current folder. */
  projectFile?: false | undefined;
}

/** Reads the models directory and aliases from config (defaults < files < env < flags). */
export async function loadModelsContext(options: ModelsContextOptions = {}): Promise<ModelsContext> {
  const env = options.env ?? process.env;
  const { config } = await loadConfig({ env, flags: { "models.dir": options.modelsDir }, projectFile: options.projectFile });
  return { modelsDir: config.models.dir, aliases: config.models.aliases, env, token: config.models.token, offline: config.router.offline };
}

export interface ResolveForUserOptions {
  offline?: boolean;
  /** Where progress and status go. Default `process.stderr` (a bar on a TTY, plain lines otherwise). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  signal?: AbortSignal;
}

/**
 * Resolves a reference the way every command should: aliases from config first, then any reference
 * `resolveModelRef` accepts, pulling with a progress display unless offline.
 */
export async function resolveModelForUser(ref: string, context: ModelsContext, options: ResolveForUserOptions = {}): Promise<ResolvedModel> {
  const stream = options.stream ?? process.stderr;
  const target = context.aliases[ref] ?? ref;
  return resolveModelRef(target, {
    modelsDir: context.modelsDir,
    env: context.env,
    token: context.token,
    offline: options.offline ?? false,
    onProgress: createProgressRenderer(stream),
    onStatus: (message) => stream.write(`${message}\n`),
    signal: options.signal,
  });
}
