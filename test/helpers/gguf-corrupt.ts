import { readFile, writeFile } from "node:fs/promises";
import { syntheticModel } from "./synthetic-models.js";

/**
 * Ways to break one field of an otherwise loadable GGUF header, as a damaged download or a hostile
 * file would. Each leaves everything else intact, so a refusal can only come from that field.
 */
export const GGUF_CORRUPTIONS = {
  /** The first key's length between 2^31 and 2^32 (node-llama-cpp's read of it aborted Node). */
  "over-long key": (b: Buffer) => b.writeBigUInt64LE(3_000_000_000n, 24),
  /** `general.architecture`'s string length: 1 TiB. */
  "huge string": (b: Buffer) => b.writeBigUInt64LE(1n << 40n, valueAt(b, "general.architecture") + 4),
  /** A string length within the limits but past the end of the file. */
  "string past the end": (b: Buffer) => b.writeBigUInt64LE(100_000_000n, valueAt(b, "general.architecture") + 4),
  /** `tokenizer.ggml.tokens`' item count: 2^40. */
  "huge array": (b: Buffer) => b.writeBigUInt64LE(1n << 40n, valueAt(b, "tokenizer.ggml.tokens") + 8),
  /** An item count within the limits whose items cannot fit in the file. */
  "array past the end": (b: Buffer) => b.writeBigUInt64LE(10_000_000n, valueAt(b, "tokenizer.ggml.tokens") + 8),
  /** `general.architecture`'s value type: 13, one past the last GGUF type. */
  "unknown value type": (b: Buffer) => b.writeUInt32LE(13, valueAt(b, "general.architecture")),
  /** `tokenizer.ggml.tokens`' item type: 99. */
  "unknown array item type": (b: Buffer) => b.writeUInt32LE(99, valueAt(b, "tokenizer.ggml.tokens") + 4),
  /** `tokenizer.ggml.tokens`' item type: array. */
  "array of arrays": (b: Buffer) => b.writeUInt32LE(9, valueAt(b, "tokenizer.ggml.tokens") + 4),
  /** A million tensors in a file of a few hundred kB. */
  "tensor count beyond the file": (b: Buffer) => b.writeBigUInt64LE(1_000_000n, 8),
  /** The first tensor's name length: 2^32 + 5. */
  "over-long tensor name": (b: Buffer) => b.writeBigUInt64LE((1n << 32n) + 5n, b.indexOf("token_embd.weight") - 8),
  /** The first tensor's dimension count: 1000 (llama.cpp allows 4). */
  "too many dimensions": (b: Buffer) => b.writeUInt32LE(1000, b.indexOf("token_embd.weight") + "token_embd.weight".length),
  /** GGUF version 4, which does not exist. */
  "version 4": (b: Buffer) => b.writeUInt32LE(4, 4),
  /** The version as a big-endian file stores it. */
  "a big-endian version": (b: Buffer) => b.writeUInt32BE(3, 4),
} satisfies Record<string, (bytes: Buffer) => void>;

export type GgufCorruption = keyof typeof GGUF_CORRUPTIONS;

/** Offset of the value type that follows `key` in the header. */
function valueAt(bytes: Buffer, key: string): number {
  const at = bytes.indexOf(key);
  if (at < 0) throw new Error(`${key} is not in the header`);
  return at + Buffer.byteLength(key);
}

/** Writes a copy of the default synthetic model with one corruption to `dest`; returns `dest`. */
export async function writeCorruptGguf(dest: string, corruption: GgufCorruption): Promise<string> {
  const bytes = await readFile(await syntheticModel({}));
  GGUF_CORRUPTIONS[corruption](bytes);
  await writeFile(dest, bytes);
  return dest;
}

/** Writes the default synthetic model cut short in the middle of its metadata. */
export async function writeTruncatedGguf(dest: string): Promise<string> {
  const bytes = await readFile(await syntheticModel({}));
  await writeFile(dest, bytes.subarray(0, valueAt(bytes, "tokenizer.ggml.scores") + 10));
  return dest;
}
