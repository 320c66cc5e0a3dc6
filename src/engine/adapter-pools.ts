import type { LlamaModel } from "node-llama-cpp";
import { WrenError } from "../shared/errors.js";
import { SequencePool, type SequencePoolOptions, type SequencePoolStats } from "./sequence-pool.js";

/** One LoRA adapter applied to a request, at a scale. */
export interface AdapterSpec {
  /** The adapter's registered name (reported in provenance). */
  name: string;
  /** GGUF LoRA adapter file, already checked against the base model. */
  path: string;
  /** 0 gives the base model's text; 1 the adapter as trained. */
  scale: number;
}

/** A pool held for one request; `release()` lets it be freed once idle. */
export interface AdapterPoolLease {
  pool: SequencePool;
  release(): void;
}

/** Contexts a loaded model keeps for adapters at once unless configured (`engine.adapterContexts`). */
export const DEFAULT_ADAPTER_CONTEXTS = 4;

export interface AdapterPoolsOptions {
  /** Milliseconds a context stays with no request before it is freed. Default 30 000. */
  idleMs?: number;
  /**
   * Adapter contexts (one per adapter and scale) held at once. A request that needs another past
   * it takes the place of the least recently used idle one, else waits for one to go idle (in the
   * line of `maxQueued` of the pool options; past it, `overloaded`). Default {@link DEFAULT_ADAPTER_CONTEXTS}.
   */
  maxContexts?: number;
  /**
   * Whether one more context fits in memory now, with `held` held already; asked before each one is
   * made. Where it does not, idle contexts are freed first, then the request waits for one to go
   * idle, and with none held it is refused (503). Absent: memory is not checked.
   */
  fits?: (held: number) => boolean | Promise<boolean>;
}

interface Entry {
  pool: Promise<SequencePool>;
  /** The pool once its context exists. */
  ready?: SequencePool;
  users: number;
  /** When it was last held or released: the least recently used idle context goes first. */
  lastUsed: number;
  timer?: NodeJS.Timeout;
}

interface Waiter {
  wake: () => void;
}

/**
 * llama.cpp applies LoRA adapters per context, so each adapter (at each scale) gets a sequence pool
 * of its own beside the model's default one: created on first use, freed after `idleMs` with no
 * request, so adapters a client named once do not keep KV caches in memory. Each context holds a
 * KV cache as large as the default one's, and a request chooses the adapter and its scale, so at
 * most `maxContexts` are held, and none that memory cannot take: a client naming many adapters or
 * scales waits for (or replaces) others, it never makes the server allocate without bound.
 */
export class AdapterPools {
  readonly #model: LlamaModel;
  readonly #options: SequencePoolOptions;
  readonly #idleMs: number;
  readonly #maxContexts: number;
  readonly #fits: AdapterPoolsOptions["fits"];
  readonly #entries = new Map<string, Entry>();
  /** Requests waiting for a context to go idle, first come first served. */
  #waiters: Waiter[] = [];
  /** Contexts being freed: their memory is not free until they are gone. */
  readonly #freeing = new Set<Promise<void>>();
  #disposed = false;

  constructor(model: LlamaModel, options: SequencePoolOptions, adapterOptions: AdapterPoolsOptions = {}) {
    this.#model = model;
    // Saved prompt states are taken with the default context's weights: never restored under an adapter.
    const { promptCache: _unused, ...rest } = options;
    this.#options = rest;
    this.#idleMs = adapterOptions.idleMs ?? 30_000;
    this.#maxContexts = Math.max(1, adapterOptions.maxContexts ?? DEFAULT_ADAPTER_CONTEXTS);
    this.#fits = adapterOptions.fits;
  }

  /** Pools held now (one per adapter and scale in use or recently used). */
  get size(): number {
    return this.#entries.size;
  }

  /** The most pools held at once. */
  get maxContexts(): number {
    return this.#maxContexts;
  }

  /** Requests admitted to and waiting for the adapters' pools, summed (capacity: the model's sequences). */
  stats(): SequencePoolStats {
    const total: SequencePoolStats = { active: 0, queued: this.#waiters.length, capacity: this.#options.sequences };
    for (const entry of this.#entries.values()) {
      const stats = entry.ready?.stats();
      total.active += stats?.active ?? 0;
      total.queued += stats?.queued ?? 0;
    }
    return total;
  }

  /**
   * The pool for `spec`, made when none is held: in place of the least recently used idle one when
   * `maxContexts` are held or memory is short, else after waiting for one to go idle.
   *
   * @throws WrenError `overloaded` (429) when the line of requests waiting for a context is full,
   * or (503) when memory cannot take a context even with no other held; `aborted` when `signal` fires.
   */
  async hold(spec: AdapterSpec, signal?: AbortSignal): Promise<AdapterPoolLease> {
    const key = `${spec.path}\u0000${spec.scale}`;
    const held = await this.#entryFor(key, spec, signal);
    let pool: SequencePool;
    try {
      pool = await held.pool;
    } catch (error) {
      this.#letGo(key, held);
      throw error;
    }
    let released = false;
    return {
      pool,
      release: () => {
        if (released) return;
        released = true;
        this.#letGo(key, held);
      },
    };
  }

  /** Takes a use of the entry for `key`, making it when there is room (see {@link hold}). */
  async #entryFor(key: string, spec: AdapterSpec, signal: AbortSignal | undefined): Promise<Entry> {
    for (;;) {
      if (this.#disposed) throw new WrenError("not_ready", "The model was unloaded.", { isRetryable: true });
      if (signal?.aborted) throw cancelled(signal);
      const existing = this.#entries.get(key);
      if (existing) return this.#use(existing);
      let room = this.#entries.size < this.#maxContexts;
      if (room && this.#fits) {
        const fits = await this.#fits(this.#entries.size);
        // Others may have made or taken room meanwhile: look again.
        if (this.#entries.has(key) || this.#entries.size >= this.#maxContexts) continue;
        if (!fits) {
          room = false;
          if (this.#entries.size === 0) throw noMemory(spec, this.#options.modelId);
        }
      }
      if (room) return this.#use(this.#create(key, spec, undefined));
      const idle = this.#leastRecentlyUsedIdle();
      if (idle) return this.#use(this.#create(key, spec, this.#evict(idle[0], idle[1])));
      await this.#waitForIdle(spec, signal);
    }
  }

  #use(entry: Entry): Entry {
    entry.users++;
    entry.lastUsed = performance.now();
    clearTimeout(entry.timer);
    return entry;
  }

  /** A new entry for `key`, its context made once `after` (a context being freed in its place) is gone. */
  #create(key: string, spec: AdapterSpec, after: Promise<void> | undefined): Entry {
    // Every context being freed waits, not only the one replaced: memory is counted when it is free.
    const freeing = Promise.all([after, ...this.#freeing]);
    const created: Entry = {
      pool: freeing.then(async () => {
        const pool = new SequencePool(this.#model, { ...this.#options, lora: [{ filePath: spec.path, scale: spec.scale }] });
        await pool.warm();
        created.ready = pool;
        return pool;
      }),
      users: 0,
      lastUsed: performance.now(),
    };
    created.pool.catch(() => {
      if (this.#entries.get(key) === created) {
        this.#entries.delete(key);
        this.#wake();
      }
    });
    this.#entries.set(key, created);
    return created;
  }

  /** Gives back one use of `entry`; the last one starts its idle time and lets a waiting request take its place. */
  #letGo(key: string, entry: Entry): void {
    entry.users--;
    entry.lastUsed = performance.now();
    if (entry.users > 0 || this.#entries.get(key) !== entry) return;
    entry.timer = setTimeout(() => {
      if (entry.users > 0 || this.#entries.get(key) !== entry) return;
      void this.#evict(key, entry);
      this.#wake();
    }, this.#idleMs);
    entry.timer.unref();
    this.#wake();
  }

  #leastRecentlyUsedIdle(): [string, Entry] | undefined {
    let found: [string, Entry] | undefined;
    for (const [key, entry] of this.#entries) {
      if (entry.users === 0 && entry.ready && (!found || entry.lastUsed < found[1].lastUsed)) found = [key, entry];
    }
    return found;
  }

  /** Forgets `entry` at once and frees its context; resolves once it is freed. */
  #evict(key: string, entry: Entry): Promise<void> {
    clearTimeout(entry.timer);
    this.#entries.delete(key);
    const freeing = (async () => {
      await (await entry.pool.catch(() => undefined))?.dispose();
    })().catch(() => undefined);
    this.#freeing.add(freeing);
    void freeing.finally(() => this.#freeing.delete(freeing));
    return freeing;
  }

  async #waitForIdle(spec: AdapterSpec, signal: AbortSignal | undefined): Promise<void> {
    const maxQueued = this.#options.maxQueued ?? Number.POSITIVE_INFINITY;
    if (this.#waiters.length >= maxQueued) {
      throw new WrenError(
        "overloaded",
        `Model '${this.#options.modelId ?? "local"}' is busy with other adapters: all ${this.#entries.size} of its adapter contexts are in use and ${this.#waiters.length} requests wait for one.`,
        {
          hint: `Retry after the time in the retry-after header, use fewer adapters or scales at once (this request asked for '${spec.name}:${spec.scale}'), or raise engine.adapterContexts.`,
          isRetryable: true,
          status: 429,
          retryAfter: 1,
        },
      );
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(cancelled(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Every waiting request looks again, in order of arrival (one that finds no room waits again). */
  #wake(): void {
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const w of waiting) w.wake();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    this.#wake();
    for (const e of entries) clearTimeout(e.timer);
    await Promise.all([...this.#freeing, ...entries.map(async (e) => (await e.pool.catch(() => undefined))?.dispose())]);
  }
}

function cancelled(signal: AbortSignal | undefined): WrenError {
  return new WrenError("aborted", "The request was cancelled while it waited for an adapter's context.", { cause: signal?.reason });
}

function noMemory(spec: AdapterSpec, modelId: string | undefined): WrenError {
  return new WrenError("overloaded", `There is not enough memory for a context of adapter '${spec.name}' on model '${modelId ?? "local"}' (each adapter and scale needs a KV cache of its own).`, {
    hint: "Retry later, free memory, or load the model with a smaller context or fewer parallel sequences.",
    isRetryable: true,
    status: 503,
    retryAfter: 5,
  });
}
