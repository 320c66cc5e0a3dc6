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

interface Entry {
  pool: Promise<SequencePool>;
  /** The pool once its context exists. */
  ready?: SequencePool;
  users: number;
  timer?: NodeJS.Timeout;
}

/**
 * llama.cpp applies LoRA adapters per context, so each adapter (at each scale) gets a sequence pool
 * of its own beside the model's default one: created on first use, freed after `idleMs` with no
 * request, so adapters a client named once do not keep KV caches in memory.
 */
export class AdapterPools {
  readonly #model: LlamaModel;
  readonly #options: SequencePoolOptions;
  readonly #idleMs: number;
  readonly #entries = new Map<string, Entry>();
  #disposed = false;

  constructor(model: LlamaModel, options: SequencePoolOptions, idleMs = 30_000) {
    this.#model = model;
    // Saved prompt states are taken with the default context's weights: never restored under an adapter.
    const { promptCache: _unused, ...rest } = options;
    this.#options = rest;
    this.#idleMs = idleMs;
  }

  /** Pools held now (one per adapter and scale in use or recently used). */
  get size(): number {
    return this.#entries.size;
  }

  /** Requests admitted to and waiting for the adapters' pools, summed (capacity: the model's sequences). */
  stats(): SequencePoolStats {
    const total: SequencePoolStats = { active: 0, queued: 0, capacity: this.#options.sequences };
    for (const entry of this.#entries.values()) {
      const stats = entry.ready?.stats();
      total.active += stats?.active ?? 0;
      total.queued += stats?.queued ?? 0;
    }
    return total;
  }

  async hold(spec: AdapterSpec): Promise<AdapterPoolLease> {
    if (this.#disposed) throw new WrenError("not_ready", "The model was unloaded.", { isRetryable: true });
    const key = `${spec.path}\u0000${spec.scale}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      const pool = new SequencePool(this.#model, { ...this.#options, lora: [{ filePath: spec.path, scale: spec.scale }] });
      const created: Entry = {
        pool: pool.warm().then(() => {
          created.ready = pool;
          return pool;
        }),
        users: 0,
      };
      created.pool.catch(() => {
        if (this.#entries.get(key) === created) this.#entries.delete(key);
      });
      this.#entries.set(key, created);
      entry = created;
    }
    const held = entry;
    held.users++;
    clearTimeout(held.timer);
    let pool: SequencePool;
    try {
      pool = await held.pool;
    } catch (error) {
      held.users--;
      throw error;
    }
    let released = false;
    return {
      pool,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.users > 0) return;
        held.timer = setTimeout(() => {
          if (held.users > 0 || this.#entries.get(key) !== held) return;
          this.#entries.delete(key);
          void pool.dispose().catch(() => undefined);
        }, this.#idleMs);
        held.timer.unref();
      },
    };
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const e of entries) clearTimeout(e.timer);
    await Promise.all(entries.map(async (e) => (await e.pool.catch(() => undefined))?.dispose()));
  }
}
