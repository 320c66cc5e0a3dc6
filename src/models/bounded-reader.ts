import type { FileHandle } from "node:fs/promises";

/** Bytes read from disk at a time; a header field is never longer than this is asked for at once. */
const CHUNK_BYTES = 1 << 20;

/** Thrown when a read would go past the end of the file. */
export class EndOfFile extends Error {
  constructor(
    readonly offset: number,
    readonly wanted: number,
  ) {
    super(`wanted ${wanted} bytes at byte ${offset}, past the end of the file`);
  }
}

/**
 * Reads little-endian fields from a file front to back through a buffer of at most a few MiB, and
 * never past the file's size: every length a caller reads from the file is checked against
 * `remaining` before it is used, so a corrupt length cannot make it allocate or read gigabytes.
 */
export class BoundedReader {
  #buffer = Buffer.alloc(0);
  /** File offset of `#buffer[0]`. */
  #bufferStart = 0;
  /** File offset of the next field. */
  offset = 0;

  constructor(
    private readonly handle: FileHandle,
    /** The file's size in bytes: nothing at or beyond it is read. */
    readonly size: number,
  ) {}

  /** Bytes of the file after `offset`. */
  get remaining(): number {
    return this.size - this.offset;
  }

  /** Makes the next `bytes` (at most one chunk) available in the buffer. */
  async #need(bytes: number): Promise<void> {
    if (this.offset + bytes > this.size) throw new EndOfFile(this.offset, bytes);
    const end = this.#bufferStart + this.#buffer.length;
    if (this.offset >= this.#bufferStart && this.offset + bytes <= end) return;
    const length = Math.min(Math.max(bytes, CHUNK_BYTES), this.size - this.offset);
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, this.offset + filled);
      // The file shrank while being read.
      if (bytesRead === 0) throw new EndOfFile(this.offset + filled, length - filled);
      filled += bytesRead;
    }
    this.#buffer = buffer;
    this.#bufferStart = this.offset;
  }

  #at(): number {
    return this.offset - this.#bufferStart;
  }

  async u32(): Promise<number> {
    await this.#need(4);
    const value = this.#buffer.readUInt32LE(this.#at());
    this.offset += 4;
    return value;
  }

  /** A u64, as a bigint: a corrupt value may be far beyond what a number holds exactly. */
  async u64(): Promise<bigint> {
    await this.#need(8);
    const value = this.#buffer.readBigUInt64LE(this.#at());
    this.offset += 8;
    return value;
  }

  /**
   * The next u64 when it is already in the buffer, else undefined (then await `u64()`): walking a
   * vocabulary of 150,000 strings without a promise per string takes a fraction of the time.
   */
  u64IfBuffered(): bigint | undefined {
    const at = this.#at();
    if (at < 0 || at + 8 > this.#buffer.length) return undefined;
    this.offset += 8;
    return this.#buffer.readBigUInt64LE(at);
  }

  /** The next `length` bytes (at most one chunk: callers check lengths first). */
  async bytes(length: number): Promise<Buffer> {
    if (length > CHUNK_BYTES) throw new RangeError(`BoundedReader.bytes reads at most ${CHUNK_BYTES} bytes at once`);
    await this.#need(length);
    const at = this.#at();
    this.offset += length;
    return this.#buffer.subarray(at, at + length);
  }

  /** Moves past `length` bytes without reading them. */
  skip(length: number): void {
    if (length > this.remaining) throw new EndOfFile(this.offset, length);
    this.offset += length;
  }
}
