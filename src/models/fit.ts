import os from "node:os";
import { WrenError } from "../shared/errors.js";
import { formatBytes } from "./bytes.js";
import { estimateMemory, type GgufSummary, type MemoryEstimate } from "./gguf-info.js";

/** The memory a model may use. */
export interface MemoryBudget {
  bytes: number;
  /** How it was worked out, for messages: "512 MB (--memory-limit)", "6.1 GB free RAM". */
  description: string;
}

export interface MemoryBudgetOptions {
  /** A hard limit (the `--memory-limit` flag): wins over everything. */
  limitBytes?: number | undefined;
  /** Free RAM. Default `os.freemem()`. */
  freeRamBytes?: number;
  /** Free VRAM of the GPU llama.cpp would use, when known. */
  freeVramBytes?: number | undefined;
}

/** What a model may use here: the limit when given, else free RAM plus free VRAM. */
export function memoryBudget(options: MemoryBudgetOptions = {}): MemoryBudget {
  if (options.limitBytes !== undefined) return { bytes: options.limitBytes, description: `${formatBytes(options.limitBytes)} (--memory-limit)` };
  const ram = options.freeRamBytes ?? os.freemem();
  const vram = options.freeVramBytes ?? 0;
  if (vram > 0) return { bytes: ram + vram, description: `${formatBytes(ram)} free RAM + ${formatBytes(vram)} free VRAM` };
  return { bytes: ram, description: `${formatBytes(ram)} free RAM` };
}

export interface FitResult {
  fits: boolean;
  contextSize: number;
  estimate: MemoryEstimate;
  budget: MemoryBudget;
  /** The largest context (up to the model's training context) that fits; 0 when even the weights do not. */
  maxContext: number;
}

/** Estimates weights + KV cache at `contextSize` and compares with the budget. */
export function checkFit(summary: GgufSummary, contextSize: number, budget: MemoryBudget): FitResult {
  const estimate = estimateMemory(summary, contextSize);
  const fitsAt = (ctx: number): boolean => estimateMemory(summary, ctx).totalBytes <= budget.bytes;
  let maxContext = 0;
  const ceiling = Math.max(summary.contextLength, contextSize);
  if (fitsAt(ceiling)) maxContext = ceiling;
  else if (fitsAt(1)) {
    let low = 1;
    let high = ceiling;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (fitsAt(mid)) low = mid;
      else high = mid;
    }
    maxContext = low;
  }
  return { fits: estimate.totalBytes <= budget.bytes, contextSize, estimate, budget, maxContext };
}

/** Throws `model_too_large` saying plainly what does not fit and the largest context that would. */
export function assertFits(fit: FitResult, modelLabel: string): void {
  if (fit.fits) return;
  const need = `${modelLabel} needs about ${formatBytes(fit.estimate.totalBytes)} at a context of ${fit.contextSize} tokens (weights ${formatBytes(fit.estimate.weightsBytes)}, KV cache ${formatBytes(fit.estimate.kvCacheBytes)}), but only ${fit.budget.description} is available.`;
  const hint =
    fit.maxContext >= 256
      ? `The largest context that fits is ${fit.maxContext} tokens: use --context ${roundDown(fit.maxContext)}, or a smaller quantisation.`
      : "Even the weights do not fit: pick a smaller model or quantisation (`wren models recommend`), or free memory.";
  throw new WrenError("model_too_large", `It will not fit: ${need}`, { hint, details: { maxContext: fit.maxContext } });
}

/**
 * Throws `model_too_large` when a context beyond the model's training context is asked for: wren
 * never loads a model with more, so a fit check must not answer "fits" for it.
 */
export function assertContextSupported(asked: number, trainedContext: number, modelLabel: string): void {
  if (trainedContext <= 0 || asked <= trainedContext) return;
  throw new WrenError("model_too_large", `${modelLabel} supports at most ${trainedContext} tokens of context, not the ${asked} asked for.`, {
    hint: `Use --context ${trainedContext} or less, or a model trained for a longer context.`,
    details: { maxContext: trainedContext },
  });
}

/** A tidy context size at or below `n` (a multiple of 256 when n ≥ 256). */
function roundDown(n: number): number {
  return n >= 256 ? Math.floor(n / 256) * 256 : n;
}
