import { Q8_0_BYTES, createRandom, hashSeed, toHalf } from "./gguf-encode.js";
import { f32, str, u32, writeGguf, type GgufValue, type TensorSpec, type TensorType } from "./gguf-format.js";
import { buildVocab } from "./gguf-vocab.js";

export type { GgufValue, TensorType } from "./gguf-format.js";
export { f32, str, u32 } from "./gguf-format.js";

/**
 * Deterministic synthetic llama-architecture GGUF models with random weights: real shapes, real
 * tokenizer, so llama.cpp loads and runs them, and a test or benchmark needs no downloaded model.
 * Speed depends on shapes, not values, so a model of realistic shape is a fair benchmark.
 */
export interface SyntheticModelOptions {
  /** PRNG seed for the weights. Default 0. Same options and seed give identical bytes. */
  seed?: number;
  /** Embedding width. Default 64. Must divide by `nHead` (and by 32 for Q8_0). */
  nEmbd?: number;
  /** Transformer blocks. Default 2. */
  nLayer?: number;
  /** Attention heads. Default 4. */
  nHead?: number;
  /** KV heads (grouped-query attention). Default 2; must divide `nHead`. */
  nHeadKv?: number;
  /** Feed-forward width. Default 128 (a multiple of 32 for Q8_0). */
  nFf?: number;
  /** `llama.context_length`. Default 256. */
  contextLength?: number;
  /** Storage type of the weight matrices (norms stay F32). Default F32. */
  tensorType?: TensorType;
  /** Pad the vocabulary with unique filler tokens up to this size. Default: the base vocabulary. */
  vocabSize?: number;
  /** `tokenizer.chat_template` (a Jinja template). Default: none. */
  chatTemplate?: string;
  /** Control tokens to add to the vocabulary, e.g. `<|im_start|>`. */
  extraTokens?: readonly string[];
  /** The token that ends generation. Default `</s>`. */
  eosToken?: string;
  /** `general.name`. Default `wren-synthetic`. */
  name?: string;
  /**
   * A scripted reply: each piece becomes one token of its own, and the weights make a bigram model
   * that, after any other token, says the pieces in order and then ends (`eosToken`). Use with
   * `CHATML` for a chat model whose every reply is exactly `reply.join("")`. Sets `nEmbd` to fit
   * the vocabulary (one-hot embeddings); pieces must differ from each other and from base tokens.
   */
  reply?: readonly string[];
  /** Metadata keys to leave out, to produce malformed files (e.g. `llama.feed_forward_length`). */
  omitKeys?: readonly string[];
  /** Metadata keys to add or replace with another value or type, to produce corrupt files. */
  overrideKeys?: Readonly<Record<string, GgufValue>>;
}

/** A ChatML template; spread `CHATML` into the options for a chat-ready model. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export const CHATML = {
  chatTemplate: CHATML_TEMPLATE,
  extraTokens: ["<|im_start|>", "<|im_end|>"],
  eosToken: "<|im_end|>",
} as const satisfies SyntheticModelOptions;

export interface SyntheticModelInfo {
  path: string;
  bytes: number;
  vocabSize: number;
  parameterCount: number;
}

const FILE_TYPE: Record<TensorType, number> = { F32: 0, F16: 1, Q8_0: 7 };

function randomFill(seed: number, name: string, scale: number): TensorSpec["fill"] {
  const next = createRandom(hashSeed(seed, name));
  const factor = (2 * scale) / 2 ** 32;
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = next() * factor - scale;
  };
}

/** Q8_0 straight from the PRNG: a random fp16 scale per block, 32 random bytes; the same spread as `randomFill`. */
function randomQ8_0(seed: number, name: string, scale: number): NonNullable<TensorSpec["raw"]> {
  const next = createRandom(hashSeed(seed, name));
  return (out) => {
    for (let at = 0; at < out.length; at += Q8_0_BYTES) {
      out.writeUInt16LE(toHalf((scale / 127) * (0.5 + next() / 2 ** 32)), at);
      for (let i = 0; i < 32; i += 4) out.writeUInt32LE(next(), at + 2 + i);
    }
  };
}

const ones: TensorSpec["fill"] = (out) => out.fill(1);

/** Writes a synthetic llama model to `filePath`, streaming the weights. */
export async function writeSyntheticModel(filePath: string, options: SyntheticModelOptions = {}): Promise<SyntheticModelInfo> {
  const seed = options.seed ?? 0;
  const pieces = (options.reply ?? []).map((p) => p.replace(/ /g, "▁"));
  const vocab = buildVocab({
    ...(options.extraTokens ? { extraTokens: options.extraTokens } : {}),
    ...(pieces.length ? { pieces } : {}),
    ...(options.vocabSize === undefined ? {} : { size: options.vocabSize }),
  });
  const nVocab = vocab.tokens.length;
  if (new Set(vocab.tokens).size !== nVocab) throw new Error("reply pieces must be unique and differ from the base vocabulary");
  const nEmbd = pieces.length ? Math.ceil(nVocab / 32) * 32 : (options.nEmbd ?? 64);
  const nLayer = options.nLayer ?? 2;
  const nHead = options.nHead ?? 4;
  const nHeadKv = options.nHeadKv ?? 2;
  const nFf = options.nFf ?? 128;
  const type = options.tensorType ?? "F32";
  if (nEmbd % nHead || nHead % nHeadKv) throw new Error("nEmbd must divide by nHead, and nHead by nHeadKv");
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nHeadKv;
  const eos = vocab.tokens.indexOf(options.eosToken ?? "</s>");
  if (eos < 0) throw new Error(`eosToken ${options.eosToken} is not in the vocabulary`);

  const metadata: [string, GgufValue][] = [
    ["general.architecture", str("llama")],
    ["general.name", str(options.name ?? "wren-synthetic")],
    ["general.file_type", u32(FILE_TYPE[type])],
    ["llama.context_length", u32(options.contextLength ?? 256)],
    ["llama.embedding_length", u32(nEmbd)],
    ["llama.block_count", u32(nLayer)],
    ["llama.feed_forward_length", u32(nFf)],
    ["llama.attention.head_count", u32(nHead)],
    ["llama.attention.head_count_kv", u32(nHeadKv)],
    ["llama.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["llama.rope.dimension_count", u32(headDim)],
    ["llama.rope.freq_base", f32(10000)],
    ["tokenizer.ggml.model", str("llama")],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "array", itemType: "f32", value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: "array", itemType: "i32", value: vocab.types }],
    ["tokenizer.ggml.unknown_token_id", u32(0)],
    ["tokenizer.ggml.bos_token_id", u32(1)],
    ["tokenizer.ggml.eos_token_id", u32(eos)],
  ];
  if (options.chatTemplate !== undefined) metadata.push(["tokenizer.chat_template", str(options.chatTemplate)]);
  const omit = new Set(options.omitKeys ?? []);
  const overrides = options.overrideKeys ?? {};
  const finalMetadata = metadata
    .filter(([key]) => !omit.has(key))
    .map(([key, value]): [string, GgufValue] => [key, overrides[key] ?? value]);
  for (const [key, value] of Object.entries(overrides)) {
    if (!metadata.some(([k]) => k === key)) finalMetadata.push([key, value]);
  }

  const matrix = (name: string, rowLength: number, rows: number): TensorSpec => ({
    name,
    dims: [rowLength, rows],
    type,
    fill: randomFill(seed, name, 1 / Math.sqrt(rowLength)),
    ...(type === "Q8_0" ? { raw: randomQ8_0(seed, name, 1 / Math.sqrt(rowLength)) } : {}),
  });
  const scripted = pieces.length ? bigram(vocab.tokens, pieces, eos, nEmbd) : undefined;
  const norm = (name: string): TensorSpec => ({ name, dims: [nEmbd], type: "F32", fill: ones });
  const tensors: TensorSpec[] = [
    scripted?.embedding ?? matrix("token_embd.weight", nEmbd, nVocab),
    norm("output_norm.weight"),
    scripted?.output ?? matrix("output.weight", nEmbd, nVocab),
  ];
  for (let i = 0; i < nLayer; i++) {
    tensors.push(
      norm(`blk.${i}.attn_norm.weight`),
      matrix(`blk.${i}.attn_q.weight`, nEmbd, nEmbd),
      matrix(`blk.${i}.attn_k.weight`, nEmbd, nEmbdKv),
      matrix(`blk.${i}.attn_v.weight`, nEmbd, nEmbdKv),
      matrix(`blk.${i}.attn_output.weight`, nEmbd, nEmbd),
      norm(`blk.${i}.ffn_norm.weight`),
      matrix(`blk.${i}.ffn_gate.weight`, nEmbd, nFf),
      matrix(`blk.${i}.ffn_up.weight`, nEmbd, nFf),
      matrix(`blk.${i}.ffn_down.weight`, nFf, nEmbd),
    );
  }
  // A scripted model's blocks add nothing to the residual stream: each token's logits depend on it alone.
  const final = scripted ? tensors.map((t) => (/attn_output|ffn_down/.test(t.name) ? silenced(t) : t)) : tensors;
  const bytes = await writeGguf(filePath, finalMetadata, final);
  const parameterCount = final.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
  return { path: filePath, bytes, vocabSize: nVocab, parameterCount };
}

/** A matrix of zeros (F32, so no quantized fast path is taken). */
function silenced(spec: TensorSpec): TensorSpec {
  return { name: spec.name, dims: spec.dims, type: "F32", fill: (out) => out.fill(0) };
}

/**
 * Bigram weights: one-hot embeddings, and an output matrix whose row for token `next(i)` peaks at
 * column `i`, so after normalisation the logit of the scripted successor is ~2·sqrt(nEmbd) and all
 * others are 0: even sampling at temperature 1 picks the script (odds of anything else < 1e-10).
 */
function bigram(tokens: readonly string[], pieces: readonly string[], eos: number, nEmbd: number): { embedding: TensorSpec; output: TensorSpec } {
  const ids = pieces.map((p) => tokens.indexOf(p));
  const next = new Map<number, number>();
  ids.forEach((id, k) => next.set(id, ids[k + 1] ?? eos));
  const first = ids[0] ?? eos;
  const successor = (i: number): number => next.get(i) ?? first;
  return {
    embedding: {
      name: "token_embd.weight",
      dims: [nEmbd, tokens.length],
      type: "F32",
      fill: (out, firstRow, rows) => {
        out.fill(0);
        for (let r = 0; r < rows; r++) out[r * nEmbd + firstRow + r] = 1;
      },
    },
    output: {
      name: "output.weight",
      dims: [nEmbd, tokens.length],
      type: "F32",
      fill: (out, firstRow, rows) => {
        out.fill(0);
        for (let i = 0; i < tokens.length; i++) {
          const j = successor(i);
          if (j >= firstRow && j < firstRow + rows) out[(j - firstRow) * nEmbd + i] = 2;
        }
      },
    },
  };
}
