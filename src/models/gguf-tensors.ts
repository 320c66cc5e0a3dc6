import { stat } from "node:fs/promises";
import { WrenError } from "../shared/errors.js";
import { checkGgufHeader } from "./gguf-header-check.js";
import { flattenMetadata } from "./gguf-info.js";

/** Where one weight matrix lies in a GGUF file. */
export interface GgufTensorLocation {
  /** Byte offset from the start of the file. */
  offset: number;
  /** ggml dimensions: the row length first. */
  shape: number[];
  type: "F32" | "F16";
}

/** A llama-architecture GGUF's shape and the place of each of its weights, for a trainer to read in place. */
export interface TrainableBase {
  architecture: "llama";
  name: string | undefined;
  hparams: { nEmbd: number; nLayer: number; nHead: number; nHeadKv: number; nFf: number; ropeBase: number; rmsEps: number; vocab: number };
  tensors: Record<string, GgufTensorLocation>;
}

const TYPES: Record<number, GgufTensorLocation["type"]> = { 0: "F32", 1: "F16" };

/**
 * Reads a GGUF's tensor table for training straight from the file: only llama-architecture
 * models stored as F32 or F16 qualify (quantized weights cannot be trained through).
 */
export async function readTrainableBase(path: string): Promise<TrainableBase> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (cause) {
    throw new WrenError("model_not_found", `No model file at ${path}.`, { cause, hint: "Pass --base with a model name or GGUF path." });
  }
  await checkGgufHeader(path, size);
  const { readGgufFileInfo } = await import("node-llama-cpp");
  const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: "filesystem" });
  const meta = flattenMetadata(info.metadata);
  const arch = meta["general.architecture"];
  if (arch !== "llama") {
    throw new WrenError("unsupported", `The CPU trainer trains llama-architecture models; ${path} is ${String(arch)}.`, {
      hint: "Use the PEFT trainer (`wren train setup`, then `wren train run --trainer peft --base-weights ORIGINAL`).",
    });
  }
  const tensors: Record<string, GgufTensorLocation> = {};
  for (const t of info.fullTensorInfo ?? []) {
    const type = TYPES[t.ggmlType];
    if (!type) {
      throw new WrenError("unsupported", `The CPU trainer reads F32 or F16 weights; ${t.name} in ${path} is quantized (ggml type ${t.ggmlType}).`, {
        hint: "Train from an F16/F32 GGUF of the same model, or use the PEFT trainer with the original weights (--base-weights).",
      });
    }
    tensors[t.name] = { offset: Number(t.fileOffset), shape: t.dimensions.map(Number), type };
  }
  const num = (key: string, fallback?: number): number => {
    const value = meta[key] ?? fallback;
    if (typeof value !== "number") throw new WrenError("model_invalid", `${path} has no ${key}.`, { hint: "Use a complete llama GGUF." });
    return value;
  };
  const nHead = num("llama.attention.head_count");
  const tokens = meta["tokenizer.ggml.tokens"];
  const name = meta["general.name"];
  return {
    architecture: "llama",
    name: typeof name === "string" ? name : undefined,
    hparams: {
      nEmbd: num("llama.embedding_length"),
      nLayer: num("llama.block_count"),
      nHead,
      nHeadKv: num("llama.attention.head_count_kv", nHead),
      nFf: num("llama.feed_forward_length"),
      ropeBase: num("llama.rope.freq_base", 10000),
      rmsEps: num("llama.attention.layer_norm_rms_epsilon", 1e-5),
      vocab: Array.isArray(tokens) ? tokens.length : 0,
    },
    tensors,
  };
}

/** What a GGUF says about itself that training needs beyond its weights. */
export interface GgufIdentity {
  /** `general.architecture`, which a LoRA adapter for it must carry. */
  architecture: string | undefined;
  /**
   * Where its original (Hugging Face) weights are, when the file says: the `general.source.*` keys
   * llama.cpp's converter writes for the model it converted. `general.base_model.*` names the model
   * this one was fine-tuned from, not this model's own weights, so it is not used.
   */
  originalWeights: string | undefined;
}

export async function readGgufIdentity(path: string): Promise<GgufIdentity> {
  try {
    await checkGgufHeader(path, (await stat(path)).size);
    const { readGgufFileInfo } = await import("node-llama-cpp");
    const meta = flattenMetadata((await readGgufFileInfo(path, { logWarnings: false, sourceType: "filesystem" })).metadata);
    const arch = meta["general.architecture"];
    let originalWeights: string | undefined;
    for (const key of ["general.source.huggingface.repository", "general.source.repo_url", "general.source.url"]) {
      const value = meta[key];
      if (typeof value === "string" && value.trim()) {
        originalWeights = value.trim().replace(/^https:\/\/huggingface\.co\//, "");
        break;
      }
    }
    return { architecture: typeof arch === "string" ? arch : undefined, originalWeights };
  } catch {
    // An unreadable file is reported by whoever loads it; here it only means "not known".
    return { architecture: undefined, originalWeights: undefined };
  }
}
