import { open } from "node:fs/promises";

/** Bytes read from the start of a file: `general.architecture` is the first key converters write. */
const HEAD_BYTES = 64 * 1024;
/** Metadata entries looked at before giving up. */
const MAX_ENTRIES = 8;
/** Bytes one value of each scalar gguf_type takes (string and array are read apart). */
const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;

/**
 * What the first bytes of a file say it is, without reading the rest: `not-gguf` (no GGUF magic),
 * the `general.architecture` of a GGUF file ("llama", or "clip" for a vision projector), or
 * `unknown` for a GGUF file whose architecture is not among its first few keys. A cheap sniff for
 * choosing among files; {@link inspectGgufFile} is the real check.
 */
export async function sniffGgufArchitecture(path: string): Promise<string> {
  let head: Buffer;
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return "not-gguf";
  }
  if (head.length < 24 || head.toString("latin1", 0, 4) !== "GGUF") return "not-gguf";
  const count = Number(head.readBigUInt64LE(16));
  let at = 24;
  for (let i = 0; i < Math.min(count, MAX_ENTRIES); i++) {
    if (at + 8 > head.length) break;
    const keyLength = Number(head.readBigUInt64LE(at));
    if (at + 8 + keyLength + 4 > head.length) break;
    const key = head.toString("utf8", at + 8, at + 8 + keyLength);
    at += 8 + keyLength;
    const type = head.readUInt32LE(at);
    at += 4;
    if (type === STRING) {
      if (at + 8 > head.length) break;
      const length = Number(head.readBigUInt64LE(at));
      if (at + 8 + length > head.length) break;
      if (key === "general.architecture") return head.toString("utf8", at + 8, at + 8 + length);
      at += 8 + length;
    } else {
      const bytes = SCALAR_BYTES[type];
      // An array or an unknown type: not worth walking for a sniff.
      if (bytes === undefined) break;
      at += bytes;
    }
  }
  return "unknown";
}

/** A GGUF file that is a language model as far as its first bytes tell: not another file, not a projector. */
export async function looksLikeLanguageModel(path: string): Promise<boolean> {
  const architecture = await sniffGgufArchitecture(path);
  return architecture !== "not-gguf" && architecture !== "clip";
}
