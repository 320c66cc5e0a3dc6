import type { GgufFileInfo } from "node-llama-cpp";
import { ggmlTensorBytes, ggmlTypeLayout } from "./ggml-types.js";

/** A metadata value as wren shows it: bigints become numbers (or strings when too large). */
export type GgufMetadataValue = string | number | boolean | GgufMetadataValue[];

/** Arrays longer than this (token lists, scores, merges) are summarised in `GgufSummary.metadata`. */
export const METADATA_ARRAY_LIMIT = 32;

/** What wren knows about a GGUF file from its header alone (no tensor data is read). */
export interface GgufSummary {
  path: string;
  /** Bytes on disk (all parts, for split files). */
  fileSize: number;
  /** GGUF format version (2 or 3). */
  version: number;
  /** `general.architecture`, e.g. `llama`, `qwen2`. */
  architecture: string;
  /** `general.name`, when the file has one. */
  name: string | undefined;
  /** Parameters counted from the tensor shapes. */
  parameterCount: number;
  /** Training context length (`<arch>.context_length`). */
  contextLength: number;
  embeddingLength: number;
  blockCount: number;
  /** Attention heads (largest value when the file stores one per layer); 0 for attention-free arches. */
  headCount: number;
  /** KV heads; equals `headCount` when the file does not say (no grouped-query attention). */
  headCountKv: number;
  feedForwardLength: number | undefined;
  /** Per-head key size (`attention.key_length`, else embedding / heads). */
  keyLength: number;
  /** Per-head value size (`attention.value_length`, else embedding / heads). */
  valueLength: number;
  /** Quantisation, e.g. `Q8_0`, `Q4_K_M`, `F16`, from `general.file_type` or the dominant tensor type. */
  fileType: string | undefined;
  tensorCount: number;
  /** Bytes of tensor data the header declares (the weights). */
  tensorDataBytes: number;
  /** `tokenizer.chat_template`, when present. */
  chatTemplate: string | undefined;
  /** `tokenizer.ggml.model`, e.g. `llama` (SPM) or `gpt2` (BPE). */
  tokenizerModel: string | undefined;
  vocabSize: number;
  /**
   * Every metadata key, flattened (`llama.attention.head_count`). Arrays longer than
   * {@link METADATA_ARRAY_LIMIT} items become a string such as `"[array of 32000 items]"`.
   */
  metadata: Record<string, GgufMetadataValue>;
}

/** Bytes needed to run a model with a given context, for fit checks. */
export interface MemoryEstimate {
  /** Model weights (the tensor data). */
  weightsBytes: number;
  /** K and V caches for all layers at this context size. */
  kvCacheBytes: number;
  /** Scratch buffers llama.cpp allocates for one batch (logits and activations), roughly. */
  computeBytes: number;
  totalBytes: number;
}

export interface EstimateMemoryOptions {
  /** Bytes per KV cache element. Default 2 (f16, llama.cpp's default cache type). */
  kvBytesPerElement?: number;
  /** Batch size llama.cpp evaluates at once. Default 512. */
  batchSize?: number;
}

/** Weights + KV cache (+ a rough compute buffer) for running `summary` with `contextSize` tokens. */
export function estimateMemory(
  summary: GgufSummary,
  contextSize: number,
  options: EstimateMemoryOptions = {},
): MemoryEstimate {
  const kvBytes = options.kvBytesPerElement ?? 2;
  const batch = options.batchSize ?? 512;
  const kvPerToken = summary.blockCount * summary.headCountKv * (summary.keyLength + summary.valueLength);
  const kvCacheBytes = Math.ceil(kvPerToken * contextSize * kvBytes);
  // Logits for one batch plus a few activation rows of width max(embedding, ff), in f32.
  const width = Math.max(summary.embeddingLength, summary.feedForwardLength ?? 0);
  const computeBytes = 4 * Math.min(batch, contextSize) * (summary.vocabSize + 4 * width);
  const weightsBytes = summary.tensorDataBytes;
  return { weightsBytes, kvCacheBytes, computeBytes, totalBytes: weightsBytes + kvCacheBytes + computeBytes };
}

/** Flattens node-llama-cpp's nested metadata back into GGUF's dotted keys. */
export function flattenMetadata(nested: object, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(nested)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) flattenMetadata(value as object, full, out);
    else out[full] = value;
  }
  return out;
}

function displayValue(value: unknown, limit: number): GgufMetadataValue {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    if (value.length > limit) return `[array of ${value.length} items]`;
    return value.map((item) => displayValue(item, limit));
  }
  return String(value);
}

function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) {
    const values = value.map(num).filter((v): v is number => v !== undefined);
    return values.length ? Math.max(...values) : undefined;
  }
  return undefined;
}

function fileTypeName(fileType: number | undefined, info: GgufFileInfo): string | undefined {
  if (fileType !== undefined) {
    return fileTypeNames[fileType];
  }
  // No general.file_type: name the type holding most of the weight bytes.
  const bytesByType = new Map<number, number>();
  for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    const bytes = ggmlTensorBytes(tensor.ggmlType, tensor.dimensions) ?? 0;
    bytesByType.set(tensor.ggmlType, (bytesByType.get(tensor.ggmlType) ?? 0) + bytes);
  }
  const top = [...bytesByType.entries()].sort((a, b) => b[1] - a[1])[0];
  return top ? ggmlTypeLayout(top[0])?.name : undefined;
}

/** `general.file_type` values (llama.cpp's `llama_ftype`) as the names users know. */
const fileTypeNames: Record<number, string> = {
  0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
  11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M",
  18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S",
  25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M",
  32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
};

export interface SummarizeInput {
  path: string;
  fileSize: number;
  tensorDataBytes: number;
}

/** Builds the summary from a parsed header whose required keys were already checked. */
export function summarizeGguf(info: GgufFileInfo, input: SummarizeInput): GgufSummary {
  const flat = flattenMetadata(info.metadata);
  const architecture = String(flat["general.architecture"]);
  const arch = (key: string): unknown => flat[`${architecture}.${key}`];
  const embeddingLength = num(arch("embedding_length")) ?? 0;
  const headCount = num(arch("attention.head_count")) ?? 0;
  const headSize = headCount > 0 ? embeddingLength / headCount : 0;
  const tokens = flat["tokenizer.ggml.tokens"];
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  const metadata: Record<string, GgufMetadataValue> = {};
  for (const [key, value] of Object.entries(flat)) metadata[key] = displayValue(value, METADATA_ARRAY_LIMIT);
  const name = flat["general.name"];
  const template = flat["tokenizer.chat_template"];
  const tokenizerModel = flat["tokenizer.ggml.model"];
  return {
    path: input.path,
    fileSize: input.fileSize,
    version: info.version,
    architecture,
    name: typeof name === "string" ? name : undefined,
    parameterCount: tensors.reduce((sum, t) => sum + t.dimensions.map(Number).reduce((a, b) => a * b, 1), 0),
    contextLength: num(arch("context_length")) ?? 0,
    embeddingLength,
    blockCount: num(arch("block_count")) ?? 0,
    headCount,
    headCountKv: num(arch("attention.head_count_kv")) ?? headCount,
    feedForwardLength: num(arch("feed_forward_length")),
    keyLength: num(arch("attention.key_length")) ?? headSize,
    valueLength: num(arch("attention.value_length")) ?? headSize,
    fileType: fileTypeName(num(flat["general.file_type"]), info),
    tensorCount: Number(info.totalTensorCount),
    tensorDataBytes: input.tensorDataBytes,
    chatTemplate: typeof template === "string" ? template : undefined,
    tokenizerModel: typeof tokenizerModel === "string" ? tokenizerModel : undefined,
    vocabSize: Array.isArray(tokens) ? tokens.length : 0,
    metadata,
  };
}
