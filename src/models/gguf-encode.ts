/**
 * Number encodings a GGUF writer needs: a seeded PRNG, IEEE half floats, and Q8_0 blocks.
 * Written from the ggml format description; no values depend on the platform.
 */

/** Deterministic 32-bit PRNG (mulberry32): same seed, same stream, everywhere. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** FNV-1a of a string mixed with a seed: a per-tensor seed that does not depend on write order. */
export function hashSeed(seed: number, text: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number, rounded to nearest even (subnormals and infinities kept). */
export function toHalf(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  e = half >>> 10;
  return sign | (e >= 0x1f ? 0x7c00 : half);
}

/** Q8_0 block: an fp16 scale then 32 signed bytes. */
export const Q8_0_BLOCK = 32;
export const Q8_0_BYTES = 34;

/** Quantises `values` (a multiple of 32 long) to Q8_0 blocks in `out` at `offset`. */
export function quantizeQ8_0(values: Float32Array, out: Buffer, offset = 0): void {
  for (let block = 0; block < values.length / Q8_0_BLOCK; block++) {
    const start = block * Q8_0_BLOCK;
    let max = 0;
    for (let i = 0; i < Q8_0_BLOCK; i++) max = Math.max(max, Math.abs(values[start + i]!));
    const scale = max / 127;
    const inverse = scale === 0 ? 0 : 1 / scale;
    const at = offset + block * Q8_0_BYTES;
    out.writeUInt16LE(toHalf(scale), at);
    for (let i = 0; i < Q8_0_BLOCK; i++) out.writeInt8(Math.round(values[start + i]! * inverse), at + 2 + i);
  }
}
