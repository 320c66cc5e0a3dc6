import os from "node:os";
import { getLlama, getLlamaGpuTypes, LlamaLogLevel, type LlamaGpuType } from "node-llama-cpp";
import { resolvePaths } from "../shared/paths.js";
import { checkBackendRuns, forgetBackendChecks, hasGpuBackend } from "./backend-runs.js";

export { hasGpuBackend } from "./backend-runs.js";

/** Whether one llama.cpp backend loads on this machine, and why not. */
export interface BackendProbe {
  backend: "cpu" | "cuda" | "vulkan" | "metal";
  loads: boolean;
  /**
   * For a GPU backend that loads: whether a tiny model runs on it (a build can load and still stop
   * the process at its first computation, e.g. a CUDA build newer than the driver); undefined when
   * the check could not tell.
   */
  runs?: boolean;
  /** Why it does not load or run (or "" when it does). */
  reason: string;
  devices: string[];
  vram: { total: number; free: number } | undefined;
}

export interface HardwareReport {
  os: string;
  arch: string;
  node: string;
  cpu: { model: string; cores: number; availableParallelism: number };
  ram: { total: number; free: number };
  backends: BackendProbe[];
}

function backendName(gpu: LlamaGpuType): BackendProbe["backend"] {
  return gpu === false ? "cpu" : gpu;
}

/**
 * Tries each llama.cpp backend node-llama-cpp ships for this platform, with prebuilt binaries only
 * (never compiles) and threads capped at the cores there are.
 */
export async function probeBackends(): Promise<BackendProbe[]> {
  // Checked afresh below: what a start remembered is dropped, so the next one checks again too.
  await forgetBackendChecks(resolvePaths().cacheDir).catch(() => undefined);
  const supported = new Set<LlamaGpuType>(await getLlamaGpuTypes("supported"));
  const valid = await getLlamaGpuTypes("allValid");
  const order: LlamaGpuType[] = [false, ...valid.filter((g) => g !== false)];
  const results: BackendProbe[] = [];
  for (const gpu of order) {
    const backend = backendName(gpu);
    try {
      const llama = await getLlama({
        gpu,
        build: "never",
        maxThreads: os.availableParallelism(),
        logLevel: LlamaLogLevel.error,
        progressLogs: false,
      });
      try {
        const devices = gpu === false ? [] : await llama.getGpuDeviceNames();
        const state = gpu === false ? undefined : await llama.getVramState();
        results.push({ backend, loads: true, reason: "", devices, vram: state ? { total: state.total, free: state.free } : undefined });
      } finally {
        await llama.dispose();
      }
      const probe = results.at(-1);
      if (gpu !== false && probe) {
        const run = await checkBackendRuns(gpu, { cacheDir: resolvePaths().cacheDir });
        if (run.runs !== undefined) probe.runs = run.runs;
        probe.reason = run.runs === false ? run.reason : "";
      }
    } catch (error) {
      const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
      const reason = supported.has(gpu)
        ? message
        : `no ${backend.toUpperCase()} driver or toolkit was found on this machine (${message})`;
      results.push({ backend, loads: false, reason, devices: [], vram: undefined });
    }
  }
  return results;
}

/** OS, CPU, RAM and the backends that load here. */
export async function hardwareReport(): Promise<HardwareReport> {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${process.platform})`,
    arch: process.arch,
    node: process.version,
    cpu: { model: cpus[0]?.model.trim() ?? "unknown", cores: cpus.length, availableParallelism: os.availableParallelism() },
    ram: { total: os.totalmem(), free: os.freemem() },
    backends: await probeBackends(),
  };
}

/**
 * Free VRAM of the GPU llama.cpp would pick here (prebuilt binaries only), or undefined when it
 * runs on the CPU or cannot tell. Where a GPU backend is usable this costs a backend load (a second
 * or two; on Linux node-llama-cpp tests its binary in a child process): call it only where the
 * answer matters, as fit checks without `--memory-limit` do. Where none is, it loads nothing.
 */
export async function freeVramBytes(): Promise<number | undefined> {
  try {
    if (!hasGpuBackend(await getLlamaGpuTypes("supported"))) return undefined;
    const llama = await getLlama({ gpu: "auto", build: "never", maxThreads: os.availableParallelism(), logLevel: LlamaLogLevel.error, progressLogs: false });
    try {
      if (llama.gpu === false) return undefined;
      return (await llama.getVramState()).free;
    } finally {
      await llama.dispose();
    }
  } catch {
    return undefined;
  }
}
