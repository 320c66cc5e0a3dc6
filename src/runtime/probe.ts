import type { WrenConfig } from "../config/index.js";
import type { BackendReport } from "../engine/index.js";
import { inspectGgufFile } from "../models/gguf-check.js";
import { openLocalModel } from "./local.js";

/** What `wren probe` reports about one model on this machine. */
export interface ProbeReport {
  ref: string;
  path: string;
  name?: string;
  architecture: string;
  parameters: number;
  /** The file's quantisation (`Q8_0`, `F32`, ...), when the header says. */
  quantisation?: string;
  sizeBytes: number;
  trainContextLength: number;
  /** The context loaded for the probe, per sequence. */
  contextSize: number;
  /** Chat format in use; `hasChatTemplate` false means a generic fallback. */
  chatFormat: string;
  hasChatTemplate: boolean;
  backend: BackendReport;
  gpuLayers: number;
  totalLayers: number;
  /**
   * The GPUs llama.cpp uses, by index as the backend numbers them, how a model spreads over them
   * (`engine.gpuSplit`), and their memory summed (node-llama-cpp reports no per-device memory).
   */
  gpus: {
    split: "layer";
    devices: Array<{ index: number; name: string }>;
    memory?: { totalBytes: number; usedBytes: number; freeBytes: number };
  };
  generation: { prompt: string; text: string; outputTokens: number; firstTokenMs: number; tokensPerSecond: number };
}

export interface ProbeOptions {
  config: WrenConfig;
  ref: string;
  /** Never touch the network. Default false. */
  offline?: boolean;
  /** Tokens to generate. Default 32. */
  maxTokens?: number;
  signal?: AbortSignal;
}

const PROBE_PROMPT = "Once upon a time";

/** Loads the model, reads its header and runs one short greedy generation, timed. */
export async function probeModel(options: ProbeOptions): Promise<ProbeReport> {
  await using opened = await openLocalModel({ config: options.config, ref: options.ref, offline: options.offline ?? false, ...(options.signal ? { signal: options.signal } : {}) });
  const { model, engine } = opened;
  const summary = await inspectGgufFile(model.info.path);
  const start = performance.now();
  let first: number | undefined;
  let text = "";
  let outputTokens = 0;
  for await (const part of model.doStream(
    { messages: [], rawPrompt: PROBE_PROMPT, temperature: 0, maxOutputTokens: options.maxTokens ?? 32 },
    options.signal ? { signal: options.signal } : {},
  )) {
    if (part.type === "text-delta") {
      first ??= performance.now();
      text += part.delta;
    }
    if (part.type === "finish") outputTokens = part.usage.outputTokens;
  }
  const end = performance.now();
  const memory = await engine.gpuMemory();
  const seconds = (end - start) / 1000;
  return {
    ref: options.ref,
    path: model.info.path,
    ...(summary.name ? { name: summary.name } : {}),
    architecture: summary.architecture,
    parameters: summary.parameterCount,
    ...(summary.fileType ? { quantisation: summary.fileType } : {}),
    sizeBytes: summary.fileSize,
    trainContextLength: summary.contextLength,
    contextSize: model.info.contextSize,
    chatFormat: model.info.chatFormat,
    hasChatTemplate: model.info.hasChatTemplate,
    backend: engine.backend,
    gpuLayers: model.info.gpuLayers,
    totalLayers: model.info.totalLayers,
    gpus: {
      split: options.config.engine.gpuSplit,
      devices: engine.backend.devices.map((name, index) => ({ index, name })),
      ...(memory ? { memory } : {}),
    },
    generation: {
      prompt: PROBE_PROMPT,
      text,
      outputTokens,
      firstTokenMs: (first ?? end) - start,
      tokensPerSecond: seconds > 0 ? outputTokens / seconds : 0,
    },
  };
}
