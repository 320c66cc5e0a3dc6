import type { LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { abortedError } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";

export interface SequencePoolOptions {
  /** Context size of the default context, in tokens. */
  contextSize: number;
  /** Parallel sequences in the default context (concurrent requests decoded together). */
  sequences: number;
  threads: number;
  batchSize?: number;
  /** Requests allowed to wait for a free sequence; past it, acquire fails with `overloaded`. */
  maxQueued: number;
  lora?: Array<{ filePath: string; scale?: number }>;
}

export interface SequenceLease {
  readonly sequence: LlamaContextSequence;
  readonly contextSize: number;
  release(): void;
}

interface ContextEntry {
  size: number;
  context: LlamaContext;
  capacity: number;
  created: number;
  free: LlamaContextSequence[];
  active: number;
  lastUsed: number;
}

interface Waiter {
  size: number;
  resolve: (lease: SequenceLease) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Hands out context sequences to requests. The default context has `sequences` parallel sequences
 * (decoded together in one batch); a request that asks for another context size gets a context of
 * its own, freed as soon as no request uses it. Requests past capacity wait in FIFO order.
 */
export class SequencePool {
  readonly #model: LlamaModel;
  readonly #options: SequencePoolOptions;
  readonly #contexts = new Map<number, ContextEntry>();
  readonly #creating = new Map<number, Promise<ContextEntry>>();
  #waiters: Waiter[] = [];
  #disposed = false;

  constructor(model: LlamaModel, options: SequencePoolOptions) {
    this.#model = model;
    this.#options = options;
  }

  get defaultContextSize(): number {
    return this.#options.contextSize;
  }

  /** Creates the default context now, so load errors and memory use show at load time. */
  async warm(): Promise<void> {
    await this.#ensureContext(this.#options.contextSize);
  }

  /** Contexts held now: the default one, plus one per other size a running request asked for. */
  get contextCount(): number {
    return this.#contexts.size;
  }

  stats(): { active: number; queued: number; capacity: number } {
    let active = 0;
    for (const entry of this.#contexts.values()) active += entry.active;
    return { active, queued: this.#waiters.length, capacity: this.#options.sequences };
  }

  async acquire(contextSize: number | undefined, signal?: AbortSignal): Promise<SequenceLease> {
    if (this.#disposed) throw new WrenError("not_ready", "The model was unloaded.", { isRetryable: true });
    if (signal?.aborted) throw abortedError(signal);
    const size = contextSize ?? this.#options.contextSize;
    let entry = await this.#ensureContext(size);
    // A context of another size is freed when its last request ends, which may happen while this
    // one awaited it: take the one now current (created anew if need be), never a freed one.
    while (this.#contexts.get(size) !== entry) {
      if (this.#disposed) throw new WrenError("not_ready", "The model was unloaded.", { isRetryable: true });
      entry = await this.#ensureContext(size);
    }
    const lease = this.#tryLease(entry);
    if (lease) return lease;
    if (this.#waiters.length >= this.#options.maxQueued) {
      throw new WrenError("overloaded", `All ${this.#options.sequences} sequences are busy and ${this.#waiters.length} requests are already waiting.`, {
        hint: "Retry shortly, or raise engine.sequences / server.maxQueue.",
        isRetryable: true,
        retryAfter: 1,
      });
    }
    return new Promise<SequenceLease>((resolve, reject) => {
      const waiter: Waiter = {
        size,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(abortedError(signal));
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #tryLease(entry: ContextEntry): SequenceLease | undefined {
    let sequence = entry.free.pop();
    if (!sequence && entry.created < entry.capacity) {
      sequence = entry.context.getSequence();
      entry.created++;
    }
    if (!sequence) return undefined;
    entry.active++;
    entry.lastUsed = Date.now();
    let released = false;
    const leased = sequence;
    return {
      sequence: leased,
      contextSize: entry.size,
      release: () => {
        if (released) return;
        released = true;
        entry.active--;
        this.#handBack(entry, leased);
      },
    };
  }

  #handBack(entry: ContextEntry, sequence: LlamaContextSequence): void {
    entry.free.push(sequence);
    const index = this.#waiters.findIndex((w) => w.size === entry.size);
    if (index >= 0) {
      const [waiter] = this.#waiters.splice(index, 1);
      if (!waiter) return;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      const lease = this.#tryLease(entry);
      if (lease) waiter.resolve(lease);
      return;
    }
    // Context sizes are chosen by clients (num_ctx, x-wren-context-length): a context of another
    // size than the default holds its KV cache in native memory, and keeping it after its request
    // made the server's memory grow with every size a client asked for. Freed at once when idle.
    if (entry.size !== this.#options.contextSize && entry.active === 0 && this.#contexts.get(entry.size) === entry) {
      void this.#dropContext(entry).catch(() => undefined);
    }
  }

  async #ensureContext(size: number): Promise<ContextEntry> {
    const existing = this.#contexts.get(size);
    if (existing) return existing;
    const pending = this.#creating.get(size);
    if (pending) return pending;
    const creation = this.#createContext(size).finally(() => this.#creating.delete(size));
    this.#creating.set(size, creation);
    return creation;
  }

  async #createContext(size: number): Promise<ContextEntry> {
    const isDefault = size === this.#options.contextSize;
    if (!isDefault) {
      // One extra context at a time besides the default: drop an idle one of another size.
      for (const entry of this.#contexts.values()) {
        if (entry.size !== this.#options.contextSize && entry.active === 0) await this.#dropContext(entry);
      }
    }
    const capacity = isDefault ? this.#options.sequences : 1;
    try {
      const context = await this.#model.createContext({
        contextSize: size,
        sequences: capacity,
        threads: this.#options.threads,
        ...(this.#options.batchSize ? { batchSize: this.#options.batchSize } : {}),
        ...(this.#options.lora?.length ? { lora: { adapters: this.#options.lora } } : {}),
        ignoreMemorySafetyChecks: false,
      });
      const entry: ContextEntry = { size, context, capacity, created: 0, free: [], active: 0, lastUsed: Date.now() };
      this.#contexts.set(size, entry);
      return entry;
    } catch (cause) {
      throw new WrenError("model_too_large", `Could not create a ${size}-token context for this model: ${errorText(cause)}`, {
        cause,
        hint: "Use a smaller context size (--context), fewer parallel sequences, or a smaller model.",
      });
    }
  }

  async #dropContext(entry: ContextEntry): Promise<void> {
    this.#contexts.delete(entry.size);
    await entry.context.dispose();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const waiter of this.#waiters) {
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.reject(new WrenError("not_ready", "The model was unloaded while the request waited.", { isRetryable: true }));
    }
    this.#waiters = [];
    const entries = [...this.#contexts.values()];
    this.#contexts.clear();
    await Promise.all(entries.map((e) => e.context.dispose()));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
