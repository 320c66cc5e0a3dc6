import type { WrenConfig } from "../config/index.js";
import { firstModelOf, runWorkload, type BenchFigures, type BenchWorkload } from "./bench-workload.js";
import { openLocalModel } from "./local.js";
import { startServer } from "./serve.js";

/** What `wren bench` measured: this machine's wren, and optionally another server side by side. */
export interface BenchReport {
  model: string;
  backend: string;
  gpuLayers: number;
  totalLayers: number;
  wren: BenchFigures & {
    /** Resident memory of this process with the model loaded and the workload run, in bytes. */
    memoryBytes: number;
  };
  /** The same workload against `--vs`. */
  vs?: { url: string; model: string; figures: BenchFigures };
}

export interface BenchOptions {
  config: WrenConfig;
  ref: string;
  /** Another OpenAI-compatible server to run the same workload against. */
  vsUrl?: string;
  /** Its model name. Default: the first it lists at /v1/models. */
  vsModel?: string;
  vsApiKey?: string;
  offline?: boolean;
  workload?: Partial<BenchWorkload>;
}

/**
 * Loads the model with 4 sequences behind a wren server on loopback and runs the workload over
 * HTTP, so wren and `--vs` are measured the same way, as a client sees them.
 */
export async function benchModel(options: BenchOptions): Promise<BenchReport> {
  await using opened = await openLocalModel({ config: options.config, ref: options.ref, offline: options.offline ?? false, sequences: 4 });
  const { engine, model } = opened;
  const info = model.info;
  const maxTokens = options.workload?.maxTokens ?? 64;
  // Room for the chat template's own tokens and the answer; 4,000 characters is plenty to time.
  const promptChars = options.workload?.promptChars ?? Math.max(64, Math.min(4000, info.contextSize - maxTokens - 96));
  const workload: BenchWorkload = { maxTokens, rounds: options.workload?.rounds ?? 3, promptChars };
  // Opening resolved the file and chose the context; the server loads it again with those settings.
  await model.dispose();
  const server = await startServer({ models: [{ path: info.path, id: "bench", sequences: 4, contextSize: info.contextSize }], port: 0, engine, preload: true });
  let figures: BenchFigures;
  let memoryBytes: number;
  try {
    figures = await runWorkload({ url: server.url, model: "bench" }, workload);
    memoryBytes = process.memoryUsage().rss;
  } finally {
    await server.close();
  }
  const report: BenchReport = {
    model: info.path,
    backend: engine.backend.used,
    gpuLayers: info.gpuLayers,
    totalLayers: info.totalLayers,
    wren: { ...figures, memoryBytes },
  };
  if (options.vsUrl) {
    const vsModel = options.vsModel ?? (await firstModelOf(options.vsUrl, options.vsApiKey));
    const vs = await runWorkload({ url: options.vsUrl, model: vsModel, ...(options.vsApiKey ? { apiKey: options.vsApiKey } : {}) }, workload);
    report.vs = { url: options.vsUrl, model: vsModel, figures: vs };
  }
  return report;
}
