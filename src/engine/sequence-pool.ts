import type { LlamaContext, LlamaContextSequence, LlamaModel, Token, TokenPredictor } from "node-llama-cpp";
import { abortedError, throwIfAborted } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";
import { isPromptCacheHit } from "../shared/prompt-cache-hit.js";
import { Admission, type AdmissionStats, type AdmissionTicket } from "./admission.js";
import { commonPrefix, PromptStateCache, type PromptStateCacheOptions } from "./prompt-cache.js";

export interface SequencePoolOptions {
  /** Context size of the default context, in tokens. */
  contextSize: number;
  /** Parallel sequences in the default context (concurrent requests decoded together). */
  sequences: number;
  threads: number;
  batchSize?: number;
  /** Requests allowed to wait for a free sequence; past it, acquire fails with `overloaded` (429). */
  maxQueued: number;
  /** The model named in errors (`Model 'ID' is busy`). Default `the model`. */
  modelId?: string;
  lora?: Array<{ filePath: string; scale?: number }>;
  /**
   * Give each request the free sequence whose cached tokens share the longest prefix with its prompt
   * (ties: the least recently used), and keep evicted prompt states in `promptCache`. Default true;
   * false hands out the sequence freed last, reusing a prefix only when that one happens to hold it.
   */
  promptReuse?: boolean;
  /** Saved states of evicted prompts (default context only). Unset: evicted prompts are recomputed. */
  promptCache?: PromptStateCacheOptions;
  /** The token predictor of each new sequence (node-llama-cpp fixes it when the sequence is made). */
  tokenPredictor?: (contextSize: number) => TokenPredictor | undefined;
}

/** Shared prefix (tokens) below which a request takes a never-used sequence rather than evict one. */
const FRESH_SEQUENCE_BELOW = 32;

/** How much of a request's prompt was not evaluated again. */
export interface PromptReuse {
  /** Prompt tokens whose KV cache was reused, from a sequence or a restored state. */
  cachedTokens: number;
  /** Of those, the tokens that came back from a saved state rather than a live sequence. */
  restoredTokens: number;
}

/** Prompt reuse counters since the model was loaded. */
export interface PromptReuseStats {
  /** Requests whose reused prefix counts as a hit ({@link isPromptCacheHit}: more than the BOS and a template's opening). */
  hits: number;
  /** Requests with prompt tokens that reused none, or too few to count as a hit. */
  misses: number;
  cachedTokens: number;
  restoredTokens: number;
  /** Saved states held now, and their size in bytes. */
  savedStates: number;
  savedBytes: number;
}

export interface SequenceLease {
  readonly sequence: LlamaContextSequence;
  readonly contextSize: number;
  /** What the sequence already held of the prompt passed to `acquire` (zeros without one). */
  readonly reuse: PromptReuse;
  /** Milliseconds the request waited in the pool's line before it was admitted. */
  readonly waitedMs: number;
  /** Gives the sequence back, and the request's place in the pool's admission with it. */
  release(): void;
}

/**
 * A request's place in the pool's admission, before it has a sequence: taken first (in order of
 * arrival), so the prompt is bounded and tokenized while the request already holds its place.
 */
export interface PoolTicket {
  /** The sequence for the request's prompt `tokens` (see {@link SequencePool.acquire}). */
  take(contextSize: number | undefined, signal?: AbortSignal, tokens?: readonly Token[]): Promise<SequenceLease>;
  /** Gives the place back without taking a sequence; once a sequence is taken, its lease does this. */
  release(): void;
}

/** What the pool holds now, for `/metrics` and `/status`. */
export type SequencePoolStats = AdmissionStats;

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
  tokens: readonly Token[] | undefined;
  resolve: (lease: SequenceLease) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Hands out context sequences to requests, and is the model's one admission: up to `sequences`
 * requests at once, up to `maxQueued` more waiting in FIFO order, the rest refused with 429. The
 * default context has `sequences` parallel sequences (decoded together in one batch); a request
 * that asks for another context size gets a context of its own (one sequence), freed as soon as no
 * request uses it, and once admitted waits for that context's sequence if another request holds it.
 */
export class SequencePool {
  readonly #model: LlamaModel;
  readonly #options: SequencePoolOptions;
  readonly #contexts = new Map<number, ContextEntry>();
  readonly #creating = new Map<number, Promise<ContextEntry>>();
  #waiters: Waiter[] = [];
  #disposed = false;
  readonly #lastUsed = new WeakMap<LlamaContextSequence, number>();
  #clock = 0;
  readonly #reuse: boolean;
  readonly #cache: PromptStateCache | undefined;
  /**
   * The model's KV cache cannot be cut back past a point (sliding-window attention, recurrent or
   * hybrid models): node-llama-cpp then evaluates the whole prompt again, so a saved state is
   * restored only when all of it starts the prompt.
   */
  readonly #wholeStatesOnly: boolean;
  readonly #counts = { hits: 0, misses: 0, cachedTokens: 0, restoredTokens: 0 };
  readonly #admission: Admission;

  constructor(model: LlamaModel, options: SequencePoolOptions) {
    this.#model = model;
    this.#options = options;
    this.#admission = new Admission({ capacity: options.sequences, maxQueued: options.maxQueued, modelId: options.modelId ?? "the model" });
    this.#reuse = options.promptReuse ?? true;
    this.#cache = this.#reuse && options.promptCache ? new PromptStateCache(options.promptCache) : undefined;
    const insights = model.fileInsights;
    // The pool's contexts keep node-llama-cpp's default, a sliding-window KV cache (no `swaFullCache`).
    this.#wholeStatesOnly = insights.isRecurrent || insights.isHybrid || insights.swaSize !== undefined;
  }

  /** Prompt reuse counters since the model was loaded. */
  promptStats(): PromptReuseStats {
    const saved = this.#cache?.stats() ?? { entries: 0, bytes: 0 };
    return { ...this.#counts, savedStates: saved.entries, savedBytes: saved.bytes };
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

  /** Requests admitted (holding a place or a sequence) and waiting for a place. */
  stats(): SequencePoolStats {
    return this.#admission.stats();
  }

  /**
   * A sequence for one request: {@link admit}, then the ticket's `take`. With the request's prompt
   * `tokens`, the free sequence that holds the longest prefix of it is chosen, or a saved state
   * holding a longer one is restored into it; the lease says how many prompt tokens need no evaluating.
   */
  async acquire(contextSize: number | undefined, signal?: AbortSignal, tokens?: readonly Token[]): Promise<SequenceLease> {
    return (await this.admit(signal)).take(contextSize, signal, tokens);
  }

  /**
   * Waits for the request's place in the pool (FIFO; `overloaded` with status 429 past `maxQueued`,
   * `not_ready` once the model is unloaded, the signal's error when it aborts while waiting).
   */
  async admit(signal?: AbortSignal): Promise<PoolTicket> {
    if (this.#disposed) throw unloaded();
    const ticket = await this.#admission.enter(signal);
    let taken = false;
    return {
      take: async (contextSize, takeSignal, tokens) => {
        if (taken) throw new WrenError("internal", "A pool ticket was used twice.");
        taken = true;
        try {
          return await this.#take(ticket, contextSize, takeSignal, tokens);
        } catch (error) {
          ticket.release();
          throw error;
        }
      },
      release: () => {
        if (!taken) ticket.release();
      },
    };
  }

  async #take(ticket: AdmissionTicket, contextSize: number | undefined, signal: AbortSignal | undefined, tokens: readonly Token[] | undefined): Promise<SequenceLease> {
    const leased = await this.#lease(contextSize, signal, tokens);
    const lease: SequenceLease = {
      ...leased,
      waitedMs: ticket.waitedMs,
      release: () => {
        leased.release();
        ticket.release();
      },
    };
    if (!tokens || tokens.length === 0) return lease;
    try {
      return await this.#prepare(lease, tokens, signal);
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  /** The sequence of an admitted request: at once in the default context, else when its context's one is free. */
  async #lease(contextSize: number | undefined, signal: AbortSignal | undefined, tokens: readonly Token[] | undefined): Promise<SequenceLease> {
    if (this.#disposed) throw unloaded();
    if (signal?.aborted) throw abortedError(signal);
    const size = contextSize ?? this.#options.contextSize;
    let entry = await this.#ensureContext(size);
    // A context of another size is freed when its last request ends, which may happen while this
    // one awaited it: take the one now current (created anew if need be), never a freed one.
    while (this.#contexts.get(size) !== entry) {
      if (this.#disposed) throw unloaded();
      entry = await this.#ensureContext(size);
    }
    const lease = this.#tryLease(entry, tokens);
    if (lease) return lease;
    // Only a context of a client-chosen size (one sequence) can be full for an admitted request:
    // the admission lets in no more requests than the default context has sequences.
    return new Promise<SequenceLease>((resolve, reject) => {
      const waiter: Waiter = {
        size,
        tokens,
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

  /**
   * Loads a better saved state when there is one, saving what the sequence would lose first. A
   * request cancelled meanwhile stops before each step (its client is gone): the sequence keeps what
   * it held, and no state is written or read for nobody.
   */
  async #prepare(lease: SequenceLease, tokens: readonly Token[], signal: AbortSignal | undefined): Promise<SequenceLease> {
    const sequence = lease.sequence;
    // node-llama-cpp always evaluates the prompt's last token again (it needs its logits).
    const usable = tokens.length - 1;
    let kept = commonPrefix(sequence.contextTokens, tokens);
    let restored = 0;
    const cache = lease.contextSize === this.#options.contextSize ? this.#cache : undefined;
    if (cache?.enabled) {
      const found = cache.best(tokens);
      // Such a model's state is restored only whole, ending before the prompt's last token (evaluated again).
      const saved = found && this.#wholeStatesOnly && (found.length < found.entry.tokens.length || found.length > usable) ? undefined : found;
      const restore = saved !== undefined && Math.min(saved.length, usable) - Math.min(kept, usable) >= cache.minTokens;
      const unpin = restore && saved ? cache.pin(saved.entry) : undefined;
      try {
        const held = sequence.contextTokens.length;
        if (restore || held - kept >= cache.minTokens) {
          throwIfAborted(signal);
          // Best effort: a state that cannot be written (disk full) is recomputed when needed.
          await cache.save(sequence).catch(() => undefined);
        }
        if (restore && saved) {
          throwIfAborted(signal);
          try {
            if (await cache.restore(saved.entry, sequence)) {
              restored = Math.min(saved.length, usable) - Math.min(kept, usable);
              kept = saved.length;
            }
          } catch {
            // The restore emptied the sequence: its prompt is evaluated from the start.
            kept = 0;
          }
        }
      } finally {
        unpin?.();
      }
    }
    const cachedTokens = Math.max(0, Math.min(kept, usable));
    if (isPromptCacheHit(cachedTokens, tokens.length)) this.#counts.hits++;
    else this.#counts.misses++;
    this.#counts.cachedTokens += cachedTokens;
    this.#counts.restoredTokens += restored;
    return { ...lease, reuse: { cachedTokens, restoredTokens: restored } };
  }

  /** The free sequence to hand out: by longest shared prefix, then least recently used. */
  #pick(entry: ContextEntry, tokens: readonly Token[] | undefined): LlamaContextSequence | undefined {
    if (!this.#reuse) return entry.free.pop();
    let best: LlamaContextSequence | undefined;
    let bestLength = 0;
    for (const sequence of entry.free) {
      const length = tokens ? commonPrefix(sequence.contextTokens, tokens) : 0;
      const older = (this.#lastUsed.get(sequence) ?? 0) < (best ? (this.#lastUsed.get(best) ?? 0) : Number.POSITIVE_INFINITY);
      if (!best || length > bestLength || (length === bestLength && older)) {
        best = sequence;
        bestLength = length;
      }
    }
    // A sequence never used costs nothing to start, and keeps every held prefix for its owner. A
    // prefix every prompt shares (the BOS token, a chat template's opening) is no reason to
    // overwrite another conversation: below this many tokens, a fresh sequence is taken instead.
    if (bestLength < FRESH_SEQUENCE_BELOW && entry.created < entry.capacity) return undefined;
    if (best) entry.free.splice(entry.free.indexOf(best), 1);
    return best;
  }

  #tryLease(entry: ContextEntry, tokens?: readonly Token[]): SequenceLease | undefined {
    let sequence = this.#pick(entry, tokens);
    if (!sequence && entry.created < entry.capacity) {
      const tokenPredictor = this.#options.tokenPredictor?.(entry.size);
      sequence = entry.context.getSequence(tokenPredictor ? { tokenPredictor } : undefined);
      entry.created++;
    }
    if (!sequence) return undefined;
    entry.active++;
    entry.lastUsed = Date.now();
    this.#lastUsed.set(sequence, ++this.#clock);
    let released = false;
    const leased = sequence;
    return {
      sequence: leased,
      contextSize: entry.size,
      reuse: { cachedTokens: 0, restoredTokens: 0 },
      waitedMs: 0,
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
      const lease = this.#tryLease(entry, waiter.tokens);
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
    this.#admission.close(new WrenError("not_ready", "The model was unloaded while the request waited.", { isRetryable: true }));
    for (const waiter of this.#waiters) {
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.reject(new WrenError("not_ready", "The model was unloaded while the request waited.", { isRetryable: true }));
    }
    this.#waiters = [];
    const entries = [...this.#contexts.values()];
    this.#contexts.clear();
    await Promise.all(entries.map((e) => e.context.dispose()));
    await this.#cache?.dispose();
  }
}

function unloaded(): WrenError {
  return new WrenError("not_ready", "The model was unloaded.", { isRetryable: true });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
