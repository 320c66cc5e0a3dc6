import type { LlamaModel } from "node-llama-cpp";
import { checkFit, type MemoryBudget } from "../models/fit.js";
import type { GgufSummary } from "../models/gguf-info.js";

/** The context a load gets when none is asked for: the model's training context, capped so a default load fits ordinary machines. */
export const DEFAULT_CONTEXT_CAP = 4096;

/**
 * Share of the memory budget an automatic context may fill with weights and KV cache. The rest is
 * left to the machine: llama.cpp's own buffers beyond wren's estimate, the other models a server
 * may load, and everything else running there.
 */
export const AUTO_CONTEXT_BUDGET_SHARE = 0.75;

/** The context size of one load, and how it was chosen (for the log and `wren ps`). */
export interface ContextChoice {
  /** Tokens per sequence. */
  contextSize: number;
  /** `requested`: the caller named it; `default`: min(training context, 4096); `auto`: the largest that fits. */
  source: "requested" | "default" | "auto";
  /** Why, in words: "the largest that fits 12 GB free RAM (of the trained 131072)". */
  reason: string;
}

/** `n` rounded down to a multiple of 256 when it is at least 256 (llama.cpp pads contexts to 256). */
function tidy(n: number): number {
  return n >= 256 ? Math.floor(n / 256) * 256 : n;
}

/**
 * The context each of `sequences` sequences gets. A number is used as asked (capped at the training
 * context); `"auto"` takes the largest context that fits {@link AUTO_CONTEXT_BUDGET_SHARE} of the
 * memory budget with weights and every sequence's KV cache, up to the training context; nothing
 * keeps the old default, min(training context, 4096).
 */
export function chooseContextSize(summary: GgufSummary, sequences: number, wanted: number | "auto" | undefined, budget: MemoryBudget): ContextChoice {
  const train = summary.contextLength || DEFAULT_CONTEXT_CAP;
  if (typeof wanted === "number") {
    const contextSize = Math.min(wanted, train);
    return { contextSize, source: "requested", reason: contextSize < wanted ? `asked for ${wanted}, the model is trained for ${train}` : "asked for" };
  }
  if (wanted === undefined) return { contextSize: Math.min(train, DEFAULT_CONTEXT_CAP), source: "default", reason: `the default, at most ${DEFAULT_CONTEXT_CAP}` };
  const share = { bytes: budget.bytes * AUTO_CONTEXT_BUDGET_SHARE, description: budget.description };
  const perSequence = Math.floor(checkFit(summary, train * sequences, share).maxContext / sequences);
  if (perSequence >= train) return { contextSize: train, source: "auto", reason: `the model's training context; it fits ${budget.description}` };
  // Too little even for a small context: the default, which the fit check then refuses with what to do.
  if (perSequence < 256) return { contextSize: Math.min(train, DEFAULT_CONTEXT_CAP), source: "auto", reason: `little fits ${budget.description}` };
  return { contextSize: tidy(perSequence), source: "auto", reason: `the largest that fits ${budget.description} (the model is trained for ${train})` };
}

/**
 * An automatic choice checked once more by node-llama-cpp, which knows where the loaded model's
 * layers and KV cache live: on a GPU the KV cache must fit free VRAM, which the combined RAM + VRAM
 * budget above cannot tell. The smaller of the two wins; a choice that was asked for is kept.
 */
export async function refineForLoadedModel(choice: ContextChoice, model: LlamaModel, sequences: number, batchSize: number | undefined): Promise<ContextChoice> {
  if (choice.source !== "auto") return choice;
  const fitted = await model.fileInsights.configurationResolver
    .resolveContextContextSize(
      { min: Math.min(256, choice.contextSize), max: choice.contextSize },
      { modelGpuLayers: model.gpuLayers, modelTrainContextSize: model.trainContextSize, sequences, ...(batchSize ? { batchSize } : {}) },
    )
    // Nothing fits by its count either: context creation then says so with what to do.
    .catch(() => choice.contextSize);
  if (fitted >= choice.contextSize) return choice;
  return { ...choice, contextSize: tidy(fitted), reason: `the largest that fits where llama.cpp keeps the KV cache (${model.gpuLayers > 0 ? "GPU memory" : "free RAM"})` };
}
