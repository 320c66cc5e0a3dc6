import { open } from "node:fs/promises";
import { WrenError } from "../shared/errors.js";
import { BoundedReader, EndOfFile } from "./bounded-reader.js";
import { ggmlTypeLayout } from "./ggml-types.js";

/**
 * What a GGUF header may declare. A header is read by code that trusts its lengths (node-llama-cpp
 * reads a 3 GB key with one `read` call, which aborts Node; llama.cpp allocates what a count says),
 * so every length and count is checked here first, against these limits and the file's size.
 */
export const GGUF_LIMITS = {
  /** GGUF's own limit on a metadata key. */
  keyBytes: 65_535,
  /** Far above any real value (an embedded tokenizer.json is a few MB), far below V8's string limit. */
  stringBytes: 256 * 1024 * 1024,
  /** Far above any real array (vocabularies and merges have under a million items). */
  arrayItems: 1 << 24,
  /** llama.cpp's GGML_MAX_NAME is 64 bytes, with the terminating zero. */
  tensorNameBytes: 63,
  /** llama.cpp's GGML_MAX_DIMS. */
  tensorDims: 4,
} as const;

/** gguf_type ids, and the bytes one value of each takes (a string: at least its 8-byte length). */
const VALUE_TYPES = ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"] as const;
const VALUE_BYTES = [1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8] as const;
const STRING = 8;
const ARRAY = 9;
/** Smallest metadata entry: key length, an empty key, value type, a one-byte value. */
const MIN_ENTRY_BYTES = 8 + 4 + 1;
/** Smallest tensor description: name length, dimension count, type, offset. */
const MIN_TENSOR_BYTES = 8 + 4 + 4 + 8;
/** Magic, version, tensor count, metadata count. */
const HEADER_BYTES = 24;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export interface GgufHeaderFacts {
  version: number;
  tensorCount: number;
  metadataCount: number;
  /** Where the tensor descriptions end (tensor data starts at the next alignment boundary). */
  headerEnd: number;
}

/** The header says something impossible. */
class Damaged extends Error {}
/** The header declares more bytes than are left in the file: cut short, or a corrupt length. */
class PastEnd extends Error {}
/** A GGUF version wren cannot read. */
class Unsupported extends Error {}

/** A key or name as it may appear in a one-line message: no control characters, not too long. */
function printable(bytes: Buffer): string {
  // eslint-disable-next-line no-control-regex
  const text = bytes.toString("utf8").replace(/[\u0000-\u001f\u007f]/g, "?");
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Moves past one string value; `what` names it in a message. */
async function skipString(reader: BoundedReader, what: () => string): Promise<void> {
  const at = reader.offset;
  const length = await reader.u64();
  if (length > BigInt(GGUF_LIMITS.stringBytes)) {
    throw new Damaged(`${what()} declares a string of ${length} bytes (the limit is ${GGUF_LIMITS.stringBytes})`);
  }
  if (length > BigInt(reader.remaining)) {
    throw new PastEnd(`${what()} declares a string of ${length} bytes at byte ${at}, but only ${reader.remaining} bytes of the file remain`);
  }
  reader.skip(Number(length));
}

/** Checks the sizes and types of one metadata value and moves past it. */
async function checkValue(reader: BoundedReader, key: string, type: number): Promise<void> {
  if (VALUE_TYPES[type] === undefined) throw new Damaged(`metadata \`${key}\` has value type ${type}, which is not a GGUF type (0 to 12)`);
  if (type === STRING) return skipString(reader, () => `metadata \`${key}\``);
  if (type !== ARRAY) {
    reader.skip(VALUE_BYTES[type] ?? 0);
    return;
  }
  const at = reader.offset;
  const itemType = await reader.u32();
  const count = await reader.u64();
  const itemName = VALUE_TYPES[itemType];
  if (itemName === undefined) throw new Damaged(`metadata \`${key}\` is an array of value type ${itemType}, which is not a GGUF type (0 to 12)`);
  if (itemType === ARRAY) throw new Damaged(`metadata \`${key}\` is an array of arrays, which llama.cpp cannot read`);
  if (count > BigInt(GGUF_LIMITS.arrayItems)) {
    throw new Damaged(`metadata \`${key}\` declares an array of ${count} items (the limit is ${GGUF_LIMITS.arrayItems})`);
  }
  const itemBytes = BigInt(VALUE_BYTES[itemType] ?? 1);
  if (count * itemBytes > BigInt(reader.remaining)) {
    throw new PastEnd(
      `metadata \`${key}\` declares an array of ${count} ${itemName} items (at least ${count * itemBytes} bytes) at byte ${at}, but only ${reader.remaining} bytes of the file remain`,
    );
  }
  if (itemType !== STRING) {
    reader.skip(Number(count * itemBytes));
    return;
  }
  for (let i = 0; i < Number(count); i++) {
    // Fast path without a promise per item; anything unusual goes through the checked path.
    const at = reader.offset;
    const length = reader.u64IfBuffered();
    if (length !== undefined && length <= BigInt(reader.remaining) && length <= BigInt(GGUF_LIMITS.stringBytes)) {
      reader.skip(Number(length));
      continue;
    }
    reader.offset = at;
    await skipString(reader, () => `item ${i} of metadata \`${key}\``);
  }
}

async function readAlignment(reader: BoundedReader, type: number): Promise<void> {
  if (type !== 4) throw new Damaged(`\`general.alignment\` has value type ${VALUE_TYPES[type] ?? type}; GGUF requires u32`);
  const alignment = await reader.u32();
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0) {
    throw new Damaged(`\`general.alignment\` is ${alignment}; it must be a power of two`);
  }
}

async function checkMetadata(reader: BoundedReader, count: number): Promise<void> {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const at = reader.offset;
    const length = await reader.u64();
    if (length > BigInt(GGUF_LIMITS.keyBytes)) {
      throw new Damaged(`the key of metadata entry ${i + 1} of ${count} (at byte ${at}) is ${length} bytes long; GGUF allows at most ${GGUF_LIMITS.keyBytes}`);
    }
    const raw = (await reader.bytes(Number(length))).toString("latin1");
    const key = printable(Buffer.from(raw, "latin1"));
    if (seen.has(raw)) throw new Damaged(`metadata key \`${key}\` appears twice`);
    seen.add(raw);
    const type = await reader.u32();
    if (key === "general.alignment") await readAlignment(reader, type);
    else await checkValue(reader, key, type);
  }
}

async function checkTensor(reader: BoundedReader, index: number, count: number, seen: Set<string>): Promise<void> {
  const length = await reader.u64();
  if (length > BigInt(GGUF_LIMITS.tensorNameBytes)) {
    throw new Damaged(`the name of tensor ${index + 1} of ${count} is ${length} bytes long; llama.cpp allows at most ${GGUF_LIMITS.tensorNameBytes}`);
  }
  const raw = (await reader.bytes(Number(length))).toString("latin1");
  const name = printable(Buffer.from(raw, "latin1"));
  if (seen.has(raw)) throw new Damaged(`tensor \`${name}\` appears twice`);
  seen.add(raw);
  const dims = await reader.u32();
  if (dims > GGUF_LIMITS.tensorDims) throw new Damaged(`tensor \`${name}\` has ${dims} dimensions; llama.cpp allows at most ${GGUF_LIMITS.tensorDims}`);
  const shape: bigint[] = [];
  let elements = 1n;
  for (let d = 0; d < dims; d++) {
    const size = await reader.u64();
    elements *= size;
    if (elements > MAX_SAFE) throw new Damaged(`tensor \`${name}\` declares more than 2^53 elements`);
    shape.push(size);
  }
  const type = await reader.u32();
  const layout = ggmlTypeLayout(type);
  if (layout && (shape[0] ?? 1n) % BigInt(layout.blockSize) !== 0n) {
    throw new Damaged(`tensor \`${name}\` of type ${layout.name} has rows of ${shape[0]} elements, not a multiple of its block size ${layout.blockSize}`);
  }
  const offset = await reader.u64();
  if (offset > MAX_SAFE) throw new Damaged(`tensor \`${name}\` has a data offset of ${offset} bytes`);
}

async function readHeader(reader: BoundedReader): Promise<GgufHeaderFacts> {
  reader.skip(4);
  const version = await reader.u32();
  if (version !== 2 && version !== 3) {
    // Big-endian files (for s390x) store the version byte-swapped; llama.cpp here reads little-endian only.
    const swapped = Buffer.alloc(4);
    swapped.writeUInt32BE(version);
    const bigEndian = [2, 3].includes(swapped.readUInt32LE());
    throw new Unsupported(bigEndian ? "a big-endian GGUF" : `GGUF version ${version}`);
  }
  const tensorCount = await reader.u64();
  const metadataCount = await reader.u64();
  const needed = tensorCount * BigInt(MIN_TENSOR_BYTES) + metadataCount * BigInt(MIN_ENTRY_BYTES);
  if (needed > BigInt(reader.remaining)) {
    throw new PastEnd(
      `its header declares ${tensorCount} tensors and ${metadataCount} metadata entries, which need at least ${needed} bytes, but the whole file has ${reader.size}`,
    );
  }
  await checkMetadata(reader, Number(metadataCount));
  const seen = new Set<string>();
  for (let i = 0; i < Number(tensorCount); i++) await checkTensor(reader, i, Number(tensorCount), seen);
  return { version, tensorCount: Number(tensorCount), metadataCount: Number(metadataCount), headerEnd: reader.offset };
}

const REDOWNLOAD = "Download it again (`wren pull <model>`) or pass another GGUF file.";

function headerError(path: string, size: number, error: unknown): unknown {
  if (error instanceof EndOfFile) {
    return new WrenError("model_invalid", `${path} is truncated: its header goes on past the end of the file, at byte ${size} (an interrupted download?).`, { hint: REDOWNLOAD });
  }
  if (error instanceof PastEnd) {
    return new WrenError("model_invalid", `${path} is truncated or damaged: ${error.message}.`, { hint: REDOWNLOAD });
  }
  if (error instanceof Damaged) {
    return new WrenError("model_invalid", `${path} is not a valid GGUF file: ${error.message}.`, {
      hint: "The file is damaged: download it again (`wren pull <model>`) or pass another GGUF file.",
    });
  }
  if (error instanceof Unsupported) {
    return new WrenError("model_invalid", `${path} has ${error.message}, which wren cannot read.`, {
      hint: "wren reads GGUF versions 2 and 3: download a current GGUF of the model, or convert it with a current llama.cpp.",
    });
  }
  return error;
}

/**
 * Walks a GGUF header (metadata and tensor descriptions, never the tensor data) with every length,
 * count and type checked against {@link GGUF_LIMITS} and the file's size, so that nothing that
 * reads the header after it (node-llama-cpp's parser, llama.cpp's loader) can be made to read
 * past the file, allocate gigabytes or abort the process. The caller has checked the magic bytes.
 *
 * @throws WrenError `model_invalid`, one line naming the file and what is wrong.
 */
export async function checkGgufHeader(path: string, size: number): Promise<GgufHeaderFacts> {
  if (size < HEADER_BYTES) {
    throw new WrenError("model_invalid", `${path} is truncated: it has only ${size} bytes, not even a whole GGUF header.`, { hint: REDOWNLOAD });
  }
  const handle = await open(path, "r");
  try {
    return await readHeader(new BoundedReader(handle, size));
  } catch (error) {
    throw headerError(path, size, error);
  } finally {
    await handle.close();
  }
}
