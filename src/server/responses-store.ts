import type { Message } from "../protocol/index.js";
import type { ResponsesObject, ResponsesStoredItem } from "../wire/openai/responses-object.js";

/** One stored response: what `GET` returns, its input items, and the conversation to continue from. */
export interface StoredResponse {
  response: ResponsesObject;
  inputItems: ResponsesStoredItem[];
  /**
   * The conversation up to and including this response's output, without its instructions (the
   * Responses API does not carry instructions over to a response that continues this one).
   */
  history: Message[];
}

/** Options of a {@link BoundedStore} (and so of {@link ResponsesStore}). */
export interface ResponsesStoreOptions {
  /** Most entries kept. Default 500. */
  maxEntries?: number;
  /**
   * Most bytes kept, counted as the UTF-8 size of each entry's JSON (for a response: object, input
   * items and conversation). An entry larger than this alone is not kept. Default 32 MiB.
   */
  maxBytes?: number;
}

interface Entry<V> {
  value: V;
  bytes: number;
}

/**
 * What wren keeps of what clients ask it to store (`store: true`): in memory, least recently used
 * first out, bounded in count and in bytes so clients that store everything cannot grow the server
 * without end. Nothing survives a restart; a client that needs that keeps its own history.
 */
export class BoundedStore<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(options: ResponsesStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 500);
    this.#maxBytes = Math.max(1, options.maxBytes ?? 32 * 1024 * 1024);
  }

  /** Entries kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Keeps a value under an id (replacing the one there); returns false when it alone exceeds the byte bound. */
  set(id: string, value: V): boolean {
    this.delete(id);
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > this.#maxBytes) return false;
    this.#entries.set(id, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.delete(oldest);
    }
    return true;
  }

  /** The value with this id, now the most recently used; undefined when unknown or evicted. */
  get(id: string): V | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.value;
  }

  /** Forgets a value; false when there was none. */
  delete(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
    return true;
  }

  /** Every value kept, least recently used first, without changing that order. */
  *values(): IterableIterator<V> {
    for (const { value } of this.#entries.values()) yield value;
  }
}

/** The responses kept for `previous_response_id`, `GET /v1/responses/{id}` and `input_items`. */
export class ResponsesStore extends BoundedStore<StoredResponse> {
  /** Keeps a response (replacing one with the same id); returns false when it alone exceeds the byte bound. */
  put(value: StoredResponse): boolean {
    return this.set(value.response.id, value);
  }

  /** An input or output item of any kept response, by its id (for `item_reference` inputs). */
  findItem(id: string): Record<string, unknown> | undefined {
    for (const value of this.values()) {
      const found = value.inputItems.find((item) => item.id === id) ?? value.response.output.find((item) => item.id === id);
      if (found) return found as unknown as Record<string, unknown>;
    }
    return undefined;
  }
}
