import path from "node:path";
import type { Llama } from "node-llama-cpp";
import os from "node:os";
import { assertFits, checkFit, memoryBudget, type MemoryBudget } from "../models/fit.js";
import { estimateMemory, type GgufSummary } from "../models/gguf-info.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths } from "../shared/paths.js";
import { disposeBackend, loadBackend, loadLlamaModel, type BackendOptions, type BackendReport } from "./backend.js";
import { chooseContextSize, refineForLoadedModel } from "./context-size.js";
import { GrammarCache } from "./grammars.js";
import { LlamaErrorLines } from "./llama-errors.js";
import { LocalModel } from "./local-model.js";
import { checkModelFiles } from "./model-files-check.js";
import type { PromptStateCacheOptions } from "./prompt-cache.js";
import { SequencePool, type SequencePoolOptions } from "./sequence-pool.js";
import { Speculation, type SpeculativeMode } from "./speculative.js";
import { AdapterPools, DEFAULT_ADAPTER_CONTEXTS } from "./adapter-pools.js";

export interface LoadModelOptions {
  /** The id requests use for this model. Default: the file name without `.gguf`. */
  id?: string;
  /**
   * Context size per sequence, in tokens, at most the model's training context. `"auto"`: the
   * largest context that fits three quarters of the memory budget (weights and every sequence's KV
   * cache), up to the training context; `LocalModel.info.context` says what was chosen and why.
   * Default: the model's training context, capped at 4096 so a default load fits ordinary machines.
   */
  contextSize?: number | "auto";
  /** Parallel sequences (concurrent requests decoded in one batch). Default 1. */
  sequences?: number;
  batchSize?: number;
  /** Layers to offload to the GPU. Default `auto` (as many as fit); 0 on the CPU backend. */
  gpuLayers?: number | "auto" | "max";
  /**
   * Requests that may wait for a free sequence; past it, a request is refused at once with
   * `overloaded` (429, `retry-after: 1`). This is the model's one queue: `wren serve` sets it from
   * `server.maxQueue`. Default: unbounded.
   */
  maxQueued?: number;
  /**
   * Memory the model may use, in bytes. Default: free RAM, plus free VRAM on a GPU backend. A model
   * whose weights and KV cache would not fit is refused before loading, saying the largest context
   * that would fit.
   */
  memoryLimitBytes?: number;
  /** LoRA adapters applied at run time. */
  lora?: Array<{ path: string; scale?: number }>;
  /**
   * Milliseconds the context of a per-request adapter (`LocalModel.withAdapter`) stays with no
   * request before it is freed with its KV cache. Default 30 000.
   */
  adapterIdleMs?: number;
  /**
   * Contexts held at once for per-request adapters (one per adapter and scale), each with a KV
   * cache as large as the default context's. A request that needs another takes the place of the
   * least recently used idle one, else waits in the model's line for one to go idle (past
   * `maxQueued`, `overloaded`). A new one is made only where memory can take it (the memory
   * limit, else free memory now): otherwise idle ones are freed first, and with none held the
   * request is refused (503). Default: the engine's `adapterContexts`, else 4.
   */
  adapterContexts?: number;
  /** Prompt reuse across requests and conversations; on by default. */
  promptCache?: PromptCacheOptions;
  /** Speculative decoding. Default: the engine's `speculative`, else `auto` (prompt lookup with back-off). */
  speculative?: SpeculativeMode;
  /**
   * A draft model's GGUF file for speculative decoding; it must share this model's vocabulary
   * (`config_invalid` otherwise). Default: none (prompt lookup). Ignored when `speculative` is `off`.
   */
  draft?: string;
  signal?: AbortSignal;
  /** Load progress from 0 to 1. */
  onProgress?: (fraction: number) => void;
}

/** How a loaded model reuses prompts it has already evaluated. */
export interface PromptCacheOptions {
  /**
   * Route each request to the sequence holding the longest prefix of its prompt and restore saved
   * states of evicted prompts. Default true; false reuses a prefix only when the sequence freed
   * last happens to hold it (for comparison).
   */
  reuse?: boolean;
  /**
   * Bytes of saved prompt states kept per model, and never more than a quarter of the memory free
   * when the model loads (states are read back from the page cache; past it they would push out
   * the memory they save recomputing). Default 1 GiB; 0 keeps none. One state holds its prompt's KV
   * cache: tokens × layers × KV width × 2 (K and V) × 2 bytes (f16), e.g. 128 KiB a token for an
   * 8 B model with grouped-query attention (Llama 3 8B), 512 MiB for a 4,096-token prompt.
   */
  maxBytes?: number;
  /** Saved prompt states kept per model. Default 64; 0 keeps none. */
  maxEntries?: number;
  /** Folder for saved states. Default: `prompt-cache` in wren's cache directory. */
  dir?: string;
}

export interface EngineOptions extends BackendOptions {
  /** Prompt reuse for every model this engine loads, unless `loadModel` says otherwise. */
  promptCache?: PromptCacheOptions;
  /** Speculative decoding for every model this engine loads, unless `loadModel` says otherwise. Default `auto`. */
  speculative?: SpeculativeMode;
  /** Adapter contexts per model (see `LoadModelOptions.adapterContexts`), unless `loadModel` says otherwise. Default 4. */
  adapterContexts?: number;
}

/**
 * The local inference engine: one llama.cpp backend per process, any number of loaded models.
 * The only module that talks to node-llama-cpp's inference APIs.
 */
export class Engine implements AsyncDisposable {
  readonly backend: BackendReport;
  readonly #llama: Llama;
  readonly #grammars: GrammarCache;
  readonly #models = new Set<LocalModel>();
  readonly #promptCache: PromptCacheOptions;
  readonly #speculative: SpeculativeMode;
  readonly #adapterContexts: number | undefined;

  /** llama.cpp's recent error lines: the reason a load failed is only in its log. */
  readonly #errorLines: LlamaErrorLines;

  private constructor(llama: Llama, backend: BackendReport, promptCache: PromptCacheOptions, speculative: SpeculativeMode, errorLines: LlamaErrorLines, adapterContexts: number | undefined) {
    this.#llama = llama;
    this.#errorLines = errorLines;
    this.backend = backend;
    this.#promptCache = promptCache;
    this.#speculative = speculative;
    this.#adapterContexts = adapterContexts;
    this.#grammars = new GrammarCache(llama);
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    const errorLines = new LlamaErrorLines();
    const { llama, report } = await loadBackend({ ...options, errorLines });
    return new Engine(llama, report, options.promptCache ?? {}, options.speculative ?? "auto", errorLines, options.adapterContexts);
  }

  /** Checks the files first (see {@link checkModelFiles}): malformed ones never reach llama.cpp. */
  async loadModel(modelPath: string, options: LoadModelOptions = {}): Promise<LocalModel> {
    const id = options.id ?? path.basename(modelPath).replace(/\.gguf$/i, "");
    const summary = await checkModelFiles(modelPath, options.lora, id);
    const sequences = options.sequences ?? 1;
    if (!Number.isInteger(sequences) || sequences < 1 || sequences > 64) {
      throw new WrenError("config_invalid", `sequences must be a whole number from 1 to 64; got ${sequences}.`, {
        hint: "Set engine.sequences to the number of requests to decode at once.",
      });
    }
    const wanted = options.contextSize;
    if (wanted !== undefined && wanted !== "auto" && (!Number.isInteger(wanted) || wanted < 16)) {
      throw new WrenError("config_invalid", `contextSize must be a whole number of tokens, at least 16; got ${wanted}.`, {
        hint: "Set engine.contextSize (or --context) to e.g. 4096.",
      });
    }
    const budget = await this.#budget(options.memoryLimitBytes);
    const chosen = chooseContextSize(summary, sequences, wanted, budget);
    assertFits(checkFit(summary, chosen.contextSize * sequences, budget), id);
    const gpuLayers = this.backend.used === "cpu" ? 0 : (options.gpuLayers ?? "auto");
    let model;
    const logMark = this.#errorLines.mark;
    try {
      model = await loadLlamaModel(this.#llama, {
        modelPath,
        gpuLayers,
        ...(options.signal ? { loadSignal: options.signal } : {}),
        ...(options.onProgress ? { onLoadProgress: options.onProgress } : {}),
      });
    } catch (cause) {
      if (options.signal?.aborted) throw new WrenError("aborted", "Loading the model was cancelled.", { cause });
      const reason = await this.#errorLines.reasonSince(logMark, cause);
      throw new WrenError("model_load_failed", `llama.cpp could not load ${modelPath}: ${reason}`, {
        cause,
        hint: "Check that the file is a complete GGUF model for an architecture llama.cpp supports; `wren models info` shows its header.",
      });
    }
    const context = await refineForLoadedModel(chosen, model, sequences, options.batchSize);
    let speculation: Speculation;
    try {
      speculation = await Speculation.create(
        model,
        { mode: options.speculative ?? this.#speculative, ...(options.draft ? { draftPath: options.draft } : {}) },
        { contextSize: context.contextSize, sequences, threads: this.backend.threads },
        { llama: this.#llama, gpuLayers, signal: options.signal, errorLines: this.#errorLines },
      );
    } catch (error) {
      await model.dispose();
      throw error;
    }
    const poolOptions: SequencePoolOptions = {
      contextSize: context.contextSize,
      sequences,
      threads: this.backend.threads,
      maxQueued: options.maxQueued ?? Number.POSITIVE_INFINITY,
      modelId: id,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.lora?.length ? { lora: options.lora.map((l) => ({ filePath: l.path, scale: l.scale ?? 1 })) } : {}),
      ...promptCacheFor({ ...this.#promptCache, ...options.promptCache }),
    };
    const pool = new SequencePool(model, { ...poolOptions, tokenPredictor: (size) => speculation.predictorFor(size) });
    try {
      await pool.warm();
    } catch (error) {
      await speculation.dispose();
      await model.dispose();
      throw error;
    }
    const local = new LocalModel({
      id,
      model,
      summary,
      pool,
      grammars: this.#grammars,
      threads: this.backend.threads,
      sequences,
      context,
      speculation,
      maxQueued: poolOptions.maxQueued,
      adapters: new AdapterPools(
        model,
        { ...poolOptions, tokenPredictor: (size) => speculation.predictorFor(size, false) },
        {
          ...(options.adapterIdleMs !== undefined ? { idleMs: options.adapterIdleMs } : {}),
          maxContexts: options.adapterContexts ?? this.#adapterContexts ?? DEFAULT_ADAPTER_CONTEXTS,
          fits: this.#adapterRoom(summary, context.contextSize * sequences, options.memoryLimitBytes),
        },
      ),
      onDispose: () => this.#models.delete(local),
    });
    this.#models.add(local);
    return local;
  }

  /**
   * Whether one more adapter context (a KV cache for `tokens`, as large as the default context's)
   * fits: within the memory limit beside the weights, the default context and the `held` ones;
   * without a limit, in the memory free now (free VRAM too on a GPU backend).
   */
  #adapterRoom(summary: GgufSummary, tokens: number, limit: number | undefined): (held: number) => Promise<boolean> {
    const whole = estimateMemory(summary, tokens);
    const perContext = whole.kvCacheBytes + whole.computeBytes;
    return async (held) => {
      if (limit !== undefined) return whole.totalBytes + (held + 1) * perContext <= limit;
      return perContext <= (await this.#budget(undefined)).bytes;
    };
  }

  /** What a model may use here: the limit when given, else free RAM (plus free VRAM on a GPU backend). */
  async #budget(limit: number | undefined): Promise<MemoryBudget> {
    const freeVramBytes = this.backend.used === "cpu" ? undefined : (await this.#llama.getVramState().catch(() => undefined))?.free;
    return memoryBudget({ limitBytes: limit, freeRamBytes: os.freemem(), freeVramBytes });
  }

  /**
   * The memory of the GPUs in use, summed over them: node-llama-cpp 3.21.1 reports no per-device
   * figures. Undefined on the CPU backend.
   */
  async gpuMemory(): Promise<{ totalBytes: number; usedBytes: number; freeBytes: number } | undefined> {
    if (this.backend.used === "cpu") return undefined;
    const state = await this.#llama.getVramState().catch(() => undefined);
    return state && { totalBytes: state.total, usedBytes: state.used, freeBytes: state.free };
  }

  get models(): readonly LocalModel[] {
    return [...this.#models];
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#models].map((m) => m.dispose()));
    await disposeBackend(this.#llama);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/** Bytes of saved prompt states per model unless configured. */
export const DEFAULT_PROMPT_CACHE_BYTES = 1024 ** 3;

/** The sequence pool's prompt reuse settings, defaults filled in; `freeBytes`: memory free now. */
export function promptCacheFor(options: PromptCacheOptions, freeBytes = os.freemem()): { promptReuse: boolean; promptCache: PromptStateCacheOptions } {
  return {
    promptReuse: options.reuse ?? true,
    promptCache: {
      dir: options.dir ?? path.join(resolvePaths().cacheDir, "prompt-cache"),
      maxBytes: Math.min(options.maxBytes ?? DEFAULT_PROMPT_CACHE_BYTES, Math.floor(freeBytes / 4)),
      maxEntries: options.maxEntries ?? 64,
    },
  };
}
