import os from "node:os";
import { getLlama, getLlamaGpuTypes, LlamaLogLevel, type Llama, type LlamaModel, type LlamaModelOptions } from "node-llama-cpp";
import { runnableGpu, type RunnableGpu, type SkippedBackend } from "../models/backend-runs.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths } from "../shared/paths.js";
import type { LlamaErrorLines } from "./llama-errors.js";

export const GPU_CHOICES = ["auto", "cuda", "vulkan", "metal", "cpu"] as const;
export type GpuChoice = (typeof GPU_CHOICES)[number];
export type GpuBackend = "cuda" | "vulkan" | "metal" | "cpu";

export interface BackendOptions {
  /** Which llama.cpp backend to use. `auto` picks the best one that loads here. Default `auto`. */
  gpu?: GpuChoice;
  /**
   * Compute threads. Default: the machine's available parallelism, and never more: more threads
   * than cores makes llama.cpp spin against itself (hundreds of times slower on small machines).
   */
  threads?: number;
  /** Receives llama.cpp's warnings and errors. Default: dropped unless WREN_DEBUG is set. */
  onLog?: (level: "error" | "warn" | "info" | "debug", message: string) => void;
  /** Also keeps llama.cpp's error lines here (whatever `onLog` does), for errors that need its reason. */
  errorLines?: LlamaErrorLines;
}

/** What was asked for and what is actually used: shown by `wren run --json`, `doctor` and the server. */
export interface BackendReport {
  requested: GpuChoice;
  used: GpuBackend;
  devices: string[];
  threads: number;
  /** GPU backends that load here but stopped at their first computation, so `auto` passed them over. */
  skipped?: SkippedBackend[];
}

export function maxThreads(): number {
  return Math.max(1, os.availableParallelism());
}

/** Clamps a requested thread count to 1..available parallelism. */
export function resolveThreads(requested: number | undefined): number {
  const max = maxThreads();
  if (requested === undefined || !Number.isFinite(requested) || requested <= 0) return max;
  return Math.min(Math.floor(requested), max);
}

export function parseGpuChoice(value: string): GpuChoice {
  if ((GPU_CHOICES as readonly string[]).includes(value)) return value as GpuChoice;
  throw new WrenError("config_invalid", `"${value}" is not a llama.cpp backend wren knows.`, {
    hint: `Use one of: ${GPU_CHOICES.join(", ")}.`,
  });
}

const levelNames: Partial<Record<LlamaLogLevel, "error" | "warn" | "info" | "debug">> = {
  [LlamaLogLevel.fatal]: "error",
  [LlamaLogLevel.error]: "error",
  [LlamaLogLevel.warn]: "warn",
  [LlamaLogLevel.info]: "info",
  [LlamaLogLevel.debug]: "debug",
};

/**
 * Loads llama.cpp's prebuilt binaries for the chosen backend. Never builds from source and never
 * downloads: a backend that does not load here is an error saying why and what to use instead.
 */
export async function loadBackend(options: BackendOptions = {}): Promise<{ llama: Llama; report: BackendReport }> {
  const requested = options.gpu ?? "auto";
  const threads = resolveThreads(options.threads);
  const onLog = options.onLog;
  const debug = Boolean(process.env["WREN_DEBUG"]);
  let gpu: RunnableGpu = requested === "cpu" ? false : requested;
  let skipped: SkippedBackend[] = [];
  if (requested !== "cpu") {
    ({ gpu, skipped } = await runnableGpu(requested, { cacheDir: resolvePaths().cacheDir }));
    const stopped = skipped.find((s) => s.backend === requested);
    if (stopped) {
      const others = (await availableBackends()).filter((b) => b !== requested);
      throw new WrenError("model_load_failed", `The ${requested} backend of llama.cpp loads on this machine but stops at its first computation: ${stopped.reason}.`, {
        hint:
          `${requested === "cuda" ? "A CUDA build needs a driver of at least the CUDA release it was built with: updating the NVIDIA driver may fix it. " : ""}` +
          `Or set engine.gpu (or --gpu) to one of: ${others.join(", ")}; \`wren doctor\` says which load.`,
      });
    }
  }
  let llama: Llama;
  try {
    llama = await getLlama({
      gpu,
      build: "never",
      usePrebuiltBinaries: true,
      progressLogs: false,
      skipDownload: true,
      maxThreads: threads,
      logLevel: debug ? LlamaLogLevel.debug : LlamaLogLevel.error,
      logger: (level, message) => {
        const name = levelNames[level];
        if (!name) return;
        if (name === "error") options.errorLines?.record(message);
        if (onLog) onLog(name, message.trimEnd());
        else if (debug) process.stderr.write(`[llama.cpp] ${message}`);
      },
      vramPadding: 0,
    });
  } catch (cause) {
    const others = (await availableBackends()).filter((b) => b !== requested && !skipped.some((s) => s.backend === b));
    throw new WrenError("model_load_failed", `The ${requested} backend of llama.cpp does not load on this machine.`, {
      cause,
      hint: `Other backends with drivers here: ${others.join(", ")}. Set engine.gpu (or --gpu) to one of them; \`wren doctor\` says which load.`,
    });
  }
  const used: GpuBackend = llama.gpu === false ? "cpu" : llama.gpu;
  const devices = used === "cpu" ? [] : await llama.getGpuDeviceNames().catch(() => []);
  return { llama, report: { requested, used, devices, threads, ...(skipped.length ? { skipped } : {}) } };
}

/** Backends a model failed to load in: see {@link disposeBackend}. */
const failedLoadsIn = new WeakSet<Llama>();

/** How long stopping a backend that a model failed to load in is waited for, at most. */
const FAILED_LOAD_DISPOSE_WAIT_MS = 1000;

/** `llama.loadModel`, noting a failure for {@link disposeBackend}: every model wren loads comes through here. */
export async function loadLlamaModel(llama: Llama, options: LlamaModelOptions): Promise<LlamaModel> {
  try {
    return await llama.loadModel(options);
  } catch (error) {
    failedLoadsIn.add(llama);
    throw error;
  }
}

/**
 * Stops a backend (its models disposed first). node-llama-cpp (3.21) holds the backend for a
 * model whose load failed and lets go only when that model is disposed, which nothing can do once
 * the model, never handed out, has been garbage-collected: stopping the backend would then wait
 * forever (a request for a damaged model, then `wren serve` or the daemon stopping). So after a
 * failed load the stop is waited for {@link FAILED_LOAD_DISPOSE_WAIT_MS} at most and otherwise left
 * to the process's exit.
 */
export async function disposeBackend(llama: Llama): Promise<void> {
  const stopping = llama.dispose();
  if (!failedLoadsIn.has(llama)) return stopping;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FAILED_LOAD_DISPOSE_WAIT_MS);
    timer.unref();
  });
  try {
    await Promise.race([stopping, waited]);
  } finally {
    clearTimeout(timer);
  }
}

/** The backends whose prebuilt binaries can be used on this platform (not necessarily that load). */
export async function availableBackends(): Promise<GpuBackend[]> {
  const types = await getLlamaGpuTypes("supported").catch(() => [] as Array<"cuda" | "vulkan" | "metal" | false>);
  const out: GpuBackend[] = [];
  for (const t of types) out.push(t === false ? "cpu" : t);
  if (!out.includes("cpu")) out.push("cpu");
  return out;
}
