import { open } from "node:fs/promises";
import { Q8_0_BLOCK, Q8_0_BYTES, quantizeQ8_0, toHalf } from "./gguf-encode.js";

/**
 * A minimal GGUF v3 file writer: header, typed key/values, tensor table, aligned tensor data.
 * Tensor data is produced row-chunk by row-chunk and streamed to disk, so a model of any size
 * needs only a few megabytes of memory.
 */

/** GGUF metadata value types (gguf_type). */
const T = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12 } as const;
type Scalar = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "bool" | "u64" | "i64" | "f64";

export type GgufValue =
  | { type: Scalar; value: number | boolean }
  | { type: "string"; value: string }
  | { type: "array"; itemType: Scalar; value: readonly number[] }
  | { type: "array"; itemType: "string"; value: readonly string[] };

export const u32 = (value: number): GgufValue => ({ type: "u32", value });
export const f32 = (value: number): GgufValue => ({ type: "f32", value });
export const str = (value: string): GgufValue => ({ type: "string", value });

/** Tensor storage types this writer can produce (ggml type ids). */
export const TENSOR_TYPES = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type TensorType = keyof typeof TENSOR_TYPES;

export interface TensorSpec {
  name: string;
  /** ggml order: the first dimension is the row length. */
  dims: readonly number[];
  type: TensorType;
  /** Fills `out` with the values of `rows` rows starting at row `firstRow`. */
  fill: (out: Float32Array, firstRow: number, rows: number) => void;
  /** Writes the encoded bytes of the next rows directly (a fast path); takes precedence over `fill`. */
  raw?: (out: Buffer, firstRow: number, rows: number) => void;
}

const ALIGNMENT = 32;
const CHUNK_BYTES = 4 << 20;

class ByteSink {
  private parts: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.parts.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  scalar(type: Scalar, value: number | boolean): void {
    const n = Number(value);
    const sizes: Record<Scalar, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, bool: 1, u64: 8, i64: 8, f64: 8 };
    const b = Buffer.alloc(sizes[type]);
    if (type === "u8" || type === "bool") b.writeUInt8(n);
    else if (type === "i8") b.writeInt8(n);
    else if (type === "u16") b.writeUInt16LE(n);
    else if (type === "i16") b.writeInt16LE(n);
    else if (type === "u32") b.writeUInt32LE(n);
    else if (type === "i32") b.writeInt32LE(n);
    else if (type === "f32") b.writeFloatLE(n);
    else if (type === "u64") b.writeBigUInt64LE(BigInt(n));
    else if (type === "i64") b.writeBigInt64LE(BigInt(n));
    else b.writeDoubleLE(n);
    this.push(b);
  }
  value(v: GgufValue): void {
    this.u32(T[v.type]);
    if (v.type === "string") this.string(v.value);
    else if (v.type === "array") {
      this.u32(T[v.itemType]);
      this.u64(v.value.length);
      if (v.itemType === "string") for (const item of v.value) this.string(item);
      else for (const item of v.value) this.scalar(v.itemType, item);
    } else this.scalar(v.type, v.value);
  }
  pad(): void {
    const rest = this.length % ALIGNMENT;
    if (rest) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  concat(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Bytes one row of `length` elements takes in this type. */
function rowBytes(type: TensorType, length: number): number {
  if (type === "F32") return length * 4;
  if (type === "F16") return length * 2;
  if (length % Q8_0_BLOCK) throw new Error(`Q8_0 rows must be a multiple of ${Q8_0_BLOCK} long, got ${length}`);
  return (length / Q8_0_BLOCK) * Q8_0_BYTES;
}

function tensorBytes(spec: TensorSpec): number {
  const [rowLength = 1, ...rest] = spec.dims;
  return rowBytes(spec.type, rowLength) * rest.reduce((a, b) => a * b, 1);
}

function encodeRows(type: TensorType, values: Float32Array, out: Buffer): void {
  if (type === "F32") Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(out);
  else if (type === "F16") for (let i = 0; i < values.length; i++) out.writeUInt16LE(toHalf(values[i]!), i * 2);
  else quantizeQ8_0(values, out);
}

/** Writes a GGUF v3 file; returns its size in bytes. */
export async function writeGguf(
  filePath: string,
  metadata: ReadonlyArray<readonly [string, GgufValue]>,
  tensors: readonly TensorSpec[],
): Promise<number> {
  const header = new ByteSink();
  header.push(Buffer.from("GGUF", "latin1"));
  header.u32(3);
  header.u64(tensors.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) {
    header.string(key);
    header.value(value);
  }
  let offset = 0;
  for (const spec of tensors) {
    header.string(spec.name);
    header.u32(spec.dims.length);
    for (const d of spec.dims) header.u64(d);
    header.u32(TENSOR_TYPES[spec.type]);
    header.u64(offset);
    offset += Math.ceil(tensorBytes(spec) / ALIGNMENT) * ALIGNMENT;
  }
  header.pad();
  const file = await open(filePath, "w");
  try {
    let position = 0;
    const write = async (buffer: Buffer): Promise<void> => {
      await file.write(buffer, 0, buffer.length, position);
      position += buffer.length;
    };
    await write(header.concat());
    for (const spec of tensors) {
      const [rowLength = 1, ...rest] = spec.dims;
      const rows = rest.reduce((a, b) => a * b, 1);
      const bytesPerRow = rowBytes(spec.type, rowLength);
      const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (rowLength * 4)));
      for (let first = 0; first < rows; first += rowsPerChunk) {
        const count = Math.min(rowsPerChunk, rows - first);
        const out = Buffer.alloc(count * bytesPerRow);
        if (spec.raw) spec.raw(out, first, count);
        else {
          const values = new Float32Array(count * rowLength);
          spec.fill(values, first, count);
          encodeRows(spec.type, values, out);
        }
        await write(out);
      }
      const rest32 = position % ALIGNMENT;
      if (rest32) await write(Buffer.alloc(ALIGNMENT - rest32));
    }
    return position;
  } finally {
    await file.close();
  }
}
