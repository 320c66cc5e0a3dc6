import { existsSync } from "node:fs";
import type { WrenConfig } from "../config/index.js";
import { checkModelFiles, Engine, type LoadModelOptions, type LocalModel } from "../engine/index.js";
import { resolveModelForUser } from "./models.js";
import { defaultModel, type DefaultModel } from "./default-model.js";
import { resolveEmbeddedDefault } from "./embedded-default.js";

export type { BackendReport, LocalModel, LocalModelInfo, LocalModelStats } from "../engine/index.js";

export interface OpenLocalModelOptions {
  config: WrenConfig;
  /** A model reference (path, hf:…, URL, store/Ollama/LM Studio/catalog name). Default: see `defaultModel`. */
  ref?: string | undefined;
  /** Never touch the network: a model not present is an error saying what to run. `config.router.offline` does the same. */
  offline?: boolean;
  /** Parallel sequences. Default: 1 for one-shot commands. */
  sequences?: number;
  /** Tokens per sequence, or `auto`: the largest that fits. Default `engine.contextSize`. */
  contextSize?: number | "auto";
  lora?: LoadModelOptions["lora"];
  /** wren's own pick when neither `ref` nor `models.default` names a model (`wren cmd`'s coder). Default: `defaultModel`. */
  embedded?: DefaultModel | undefined;
  /** Where download progress goes. Default stderr. */
  progressStream?: NodeJS.WriteStream;
  signal?: AbortSignal;
}

export interface OpenedLocalModel extends AsyncDisposable {
  engine: Engine;
  model: LocalModel;
}

/** Resolves a reference to a file (pulling it with progress when needed), starts the engine and loads it. */
export async function openLocalModel(options: OpenLocalModelOptions): Promise<OpenedLocalModel> {
  const { config } = options;
  const chosen: DefaultModel = options.ref
    ? { ref: options.ref, embedded: false }
    : !config.models.default && options.embedded
      ? options.embedded
      : defaultModel(config);
  const modelPath = await resolveRef(chosen.ref, chosen.embedded ? (chosen.reason ?? "") : undefined, options);
  // Before the engine starts: a damaged file or an adapter for another model is refused without it.
  await checkModelFiles(modelPath, options.lora);
  const { reuse, bytes, entries } = config.engine.promptCache;
  const engine = await Engine.create({ gpu: config.engine.gpu, threads: config.engine.threads, promptCache: { reuse, maxBytes: bytes, maxEntries: entries }, speculative: config.engine.speculative });
  try {
    const model = await engine.loadModel(modelPath, {
      contextSize: options.contextSize ?? config.engine.contextSize,
      sequences: options.sequences ?? 1,
      batchSize: config.engine.batchSize,
      ...(options.lora ? { lora: options.lora } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { engine, model, [Symbol.asyncDispose]: () => engine.dispose() };
  } catch (error) {
    await engine.dispose();
    throw error;
  }
}

/** `embeddedReason`: set (maybe empty) when `ref` is wren's embedded default, with why it was picked. */
async function resolveRef(ref: string, embeddedReason: string | undefined, options: OpenLocalModelOptions): Promise<string> {
  const { models } = options.config;
  const target = models.aliases[ref] ?? ref;
  // Anything on disk goes straight to the engine, whose header check says exactly what is wrong with it.
  if (existsSync(target)) return target;
  const context = { modelsDir: models.dir, aliases: models.aliases, env: process.env, token: models.token };
  const resolveOptions = {
    offline: (options.offline ?? false) || options.config.router.offline,
    ...(options.progressStream ? { stream: options.progressStream } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const resolved =
    embeddedReason !== undefined
      ? await resolveEmbeddedDefault(target, context, { ...resolveOptions, reason: embeddedReason || undefined })
      : await resolveModelForUser(target, context, resolveOptions);
  return resolved.path;
}
