import path from "node:path";
import type { WrenConfig } from "../config/index.js";
import type { LoadModelOptions } from "../engine/index.js";
import type { LanguageModel } from "../protocol/index.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { defaultModel, type DefaultModel } from "./default-model.js";
import { isRoutedModelName } from "./routed-name.js";
import { LazyLocalModel } from "./lazy-local-model.js";
import { buildRouter, decisionsFilePath, type BuiltRouter, type LocalForRouter } from "./router.js";

/** Options of {@link openRoutedModel}. */
export interface OpenRoutedModelOptions {
  config: WrenConfig;
  /** What the user asked for: `auto`, a route name or `provider:model`. */
  name: string;
  /** `--offline`: the router never leaves this machine, and the local model is never pulled. */
  offline?: boolean;
  /** The once-per-session question for `router.cloud = "ask"`; absent when nobody can answer. */
  ask?: ((target: string, signal?: AbortSignal) => Promise<boolean>) | undefined;
  /** LoRA adapters for the local model. */
  lora?: LoadModelOptions["lora"];
  /** The local model's context when loaded here: tokens, or `auto` (the largest that fits). Default `engine.contextSize`. */
  contextSize?: number | "auto" | undefined;
  env?: Env;
  signal?: AbortSignal;
  /**
   * The local target, made by the caller instead of a model loaded in this process on first use
   * (the terminal UI's: loaded by the daemon in the background). Not for wren's embedded default,
   * which may have to be downloaded first: that one stays loaded by the first request that needs it.
   */
  local?: ((chosen: { ref: string; id: string }) => LocalForRouter) | undefined;
}

/** The router's model for one CLI session, with the local model it may open. */
export interface OpenedRoutedModel extends AsyncDisposable {
  model: LanguageModel;
  router: BuiltRouter;
  /** The local target's id (`local:<id>`), when a local model is configured. */
  localId: string | undefined;
  /** The local target's context in tokens: the loaded model's once it loaded here, else as configured. */
  localContextLength(): number | undefined;
  /** Whether {@link localContextLength} is the model's own: it was given loaded, or it has loaded here. */
  localContextKnown(): boolean;
  /** Loads the local model here now, if it has not loaded (a no-op without one), so that its context is known. */
  loadLocal(): Promise<void>;
}

/** Hint when cloud use is `ask` and the CLI has no terminal to ask on. */
export const CLI_NO_ASK_HINT =
  'Run wren in a terminal to be asked, or allow cloud use without asking: `router.cloud = "allow"` in wren.toml (or WREN_ROUTER_CLOUD=allow).';

/** `local:<id>` for a model ref: a file's name without `.gguf`, or the ref itself. */
function localIdOf(ref: string): string {
  return ref.toLowerCase().endsWith(".gguf") || /^(\/|\.\.?[/\\]|~)/.test(ref) ? path.basename(ref).replace(/\.gguf$/i, "") : ref;
}

/**
 * The local model `name` names, when it names one rather than a route or `provider:model`: a GGUF
 * file, an alias or store name, or `local:<ref>` (`local:<id>` of the default model is the default).
 */
function localModelRef(name: string, config: WrenConfig, fallback: DefaultModel | undefined): string | undefined {
  if (name.startsWith("local:")) {
    const ref = name.slice("local:".length);
    return fallback && !fallback.embedded && localIdOf(fallback.ref) === ref ? fallback.ref : ref;
  }
  if (name === "auto" || name === "default" || config.router.routes[name] !== undefined || isRoutedModelName(name, config)) return undefined;
  // What `wren run --model` would load: a file, an alias, `hf:…`, a store name such as `qwen3:0.6b`.
  return name;
}

/**
 * The same default as plain `wren run`: `models.default`, else the embedded default for this
 * machine; none when nothing in the catalog fits, so configured teachers can still answer.
 */
function routedDefault(config: WrenConfig): DefaultModel | undefined {
  try {
    return defaultModel(config);
  } catch (error) {
    if (config.router.teachers.length > 0) return undefined;
    throw error;
  }
}

/**
 * The router as `wren run` uses it: built from `[router]` with the default model (`models.default`,
 * else the embedded one; none when proxy-only) as its local target, opened only if the policy sends
 * a request to it;
 * decisions are appended where `wren router log` reads them.
 */
export function openRoutedModel(options: OpenRoutedModelOptions): OpenedRoutedModel {
  const { config } = options;
  const env = options.env ?? process.env;
  const fallback = config.router.proxyOnly ? undefined : routedDefault(config);
  // A local model named itself (a file, `local:…`, a store name) is the local target, called directly.
  const named = localModelRef(options.name, config, fallback);
  const chosen: DefaultModel | undefined = named === undefined ? fallback : { ref: named, embedded: false };
  const ref = chosen?.ref;
  if (named !== undefined) options = { ...options, name: `local:${localIdOf(named)}` };
  const own = ref && options.local && !chosen?.embedded ? options.local({ ref, id: localIdOf(ref) }) : undefined;
  const lazy = ref && !own
    ? new LazyLocalModel(localIdOf(ref), async () => {
        // Loaded on first use: the engine (node-llama-cpp) costs start-up time a teacher's answer never needs.
        const { openLocalModel } = await import("./local.js");
        return openLocalModel({
          config,
          // The embedded default is left for openLocalModel to choose, so a failed fetch says what to do.
          ref: chosen?.embedded ? undefined : ref,
          offline: options.offline ?? false,
          ...(options.lora ? { lora: options.lora } : {}),
          ...(options.contextSize !== undefined ? { contextSize: options.contextSize } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      })
    : undefined;
  // Before it loads, an automatic context is not known yet: the router counts the prompt first,
  // which loads the model, and only then reads the context.
  const configured = typeof options.contextSize === "number" ? options.contextSize : config.engine.contextSize;
  const local: LocalForRouter | undefined =
    own ??
    (lazy
      ? {
          id: lazy.modelId,
          model: lazy,
          get contextLength() {
            return lazy.contextSize ?? configured;
          },
        }
      : undefined);
  const routes = config.router.routes;
  const isTarget = options.name !== "auto" && options.name !== "default" && routes[options.name] === undefined;
  // `provider:model` with no local model, teachers or default route: that target is all the router has.
  const onlyThis = isTarget && !local && config.router.teachers.length === 0 && routes["default"] === undefined;
  const router = buildRouter({
    // One request per run: background health probes would only add traffic.
    config: { ...config.router, healthIntervalMs: 0, ...(onlyThis ? { routes: { ...routes, default: options.name } } : {}) },
    local,
    env,
    offline: options.offline ?? false,
    ...(options.ask ? { ask: options.ask } : {}),
    noAskHint: CLI_NO_ASK_HINT,
    decisionsFile: decisionsFilePath(resolvePaths(env).stateDir),
  });
  let model: LanguageModel;
  try {
    model = router.router.model(options.name);
  } catch (error) {
    router[Symbol.dispose]();
    throw error;
  }
  const close = async (): Promise<void> => {
    router[Symbol.dispose]();
    await lazy?.dispose();
  };
  return {
    model,
    router,
    localId: local ? `local:${local.id}` : undefined,
    localContextLength: () => local?.contextLength,
    localContextKnown: () => lazy === undefined || lazy.contextSize !== undefined,
    loadLocal: async () => void (await lazy?.load()),
    [Symbol.asyncDispose]: close,
  };
}
