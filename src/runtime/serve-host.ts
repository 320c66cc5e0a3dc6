import { stat } from "node:fs/promises";
import path from "node:path";
import type { Engine, LocalModel } from "../engine/index.js";
import type { ModelHost, ModelLease, ServedModelInfo } from "../server/model-host.js";
import { WrenError } from "../shared/errors.js";

/** One model the server offers. */
export interface ServedModelSpec {
  /** GGUF file. */
  path: string;
  /** The name clients use. Default: the file name without `.gguf`. */
  id?: string;
  /** Other names that resolve to it. */
  aliases?: string[];
  /** Context size per sequence. Default: the engine's default (training context, capped). */
  contextSize?: number;
  /** Parallel sequences. Default 4. */
  sequences?: number;
}

/** Options of {@link LocalModelHost}. */
export interface LocalModelHostOptions {
  /** Loads the models; absent only when `models` is empty (proxy-only serving). */
  engine: Engine | undefined;
  models: ServedModelSpec[];
  /** Milliseconds a model stays loaded with no request. Default 5 minutes; 0 keeps it forever. */
  idleUnloadMs?: number;
  /** Models loaded at once; loading one more unloads the least recently used idle one. Default 2. */
  maxLoaded?: number;
  onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

interface Slot {
  info: ServedModelInfo;
  spec: ServedModelSpec;
  model?: LocalModel;
  loading?: Promise<LocalModel>;
  users: number;
  lastUsed: number;
  timer?: NodeJS.Timeout;
}

/**
 * The server's ModelHost over the local engine: models load on first use, unload after an idle
 * time, and the least recently used idle one makes room when `maxLoaded` is reached.
 */
export class LocalModelHost implements ModelHost, AsyncDisposable {
  readonly #slots = new Map<string, Slot>();
  readonly #options: LocalModelHostOptions;

  constructor(options: LocalModelHostOptions) {
    this.#options = options;
    for (const spec of options.models) {
      const id = spec.id ?? path.basename(spec.path).replace(/\.gguf$/i, "");
      if (this.#slots.has(id)) {
        throw new WrenError("config_invalid", `Two served models are both named '${id}'.`, { hint: "Give one of them another id." });
      }
      this.#slots.set(id, {
        spec,
        users: 0,
        lastUsed: 0,
        info: { id, aliases: spec.aliases ?? [], loaded: false, parallel: spec.sequences ?? 4, ...(spec.contextSize ? { contextLength: spec.contextSize } : {}) },
      });
    }
  }

  /** Reads file sizes and dates so lists show them before any load. */
  async describe(): Promise<void> {
    for (const slot of this.#slots.values()) {
      const s = await stat(slot.spec.path).catch(() => undefined);
      if (s) {
        slot.info.sizeBytes = s.size;
        slot.info.modifiedAt = s.mtime.toISOString();
      }
    }
  }

  list(): ServedModelInfo[] {
    return [...this.#slots.values()].map((s) => s.info);
  }

  resolve(name: string): ServedModelInfo | undefined {
    const direct = this.#slots.get(name);
    if (direct) return direct.info;
    for (const slot of this.#slots.values()) if (slot.info.aliases.includes(name)) return slot.info;
    return undefined;
  }

  /** True while the model's weights are being loaded (the router escalates with reason `loading`). */
  isLoading(id: string): boolean {
    return this.#slots.get(id)?.loading !== undefined;
  }

  /** Loaded models with their live sequence stats. */
  loaded(): Array<{ id: string; stats: ReturnType<LocalModel["stats"]> }> {
    return [...this.#slots.values()].flatMap((s) => (s.model ? [{ id: s.info.id, stats: s.model.stats() }] : []));
  }

  async acquire(id: string, signal?: AbortSignal): Promise<ModelLease> {
    const slot = this.#slots.get(id);
    if (!slot) throw new WrenError("model_not_found", `Model '${id}' is not served here.`);
    slot.users += 1;
    clearTimeout(slot.timer);
    let model: LocalModel;
    try {
      model = slot.model ?? (await this.#load(slot, signal));
    } catch (error) {
      slot.users -= 1;
      throw error;
    }
    let released = false;
    return {
      model: { info: slot.info, language: model, embedding: model, tokens: model },
      release: () => {
        if (released) return;
        released = true;
        slot.users -= 1;
        slot.lastUsed = Date.now();
        this.#scheduleIdle(slot);
      },
    };
  }

  async #load(slot: Slot, signal?: AbortSignal): Promise<LocalModel> {
    slot.loading ??= (async () => {
      await this.#makeRoom(slot);
      this.#options.onEvent?.("model-loading", { model: slot.info.id, path: slot.spec.path });
      const started = performance.now();
      const engine = this.#options.engine;
      if (!engine) throw new WrenError("internal", `No engine to load '${slot.info.id}' with.`, { hint: "Pass an engine to LocalModelHost when it serves models." });
      const model = await engine.loadModel(slot.spec.path, {
        id: slot.info.id,
        sequences: slot.info.parallel,
        ...(slot.spec.contextSize ? { contextSize: slot.spec.contextSize } : {}),
      });
      slot.model = model;
      Object.assign(slot.info, {
        loaded: true,
        contextLength: model.info.contextSize,
        family: model.info.architecture,
        sizeBytes: model.info.sizeBytes,
      });
      this.#options.onEvent?.("model-loaded", { model: slot.info.id, ms: Math.round(performance.now() - started) });
      return model;
    })().finally(() => {
      slot.loading = undefined;
    });
    const loading = slot.loading;
    if (!signal) return loading;
    return new Promise<LocalModel>((resolve, reject) => {
      const onAbort = (): void => reject(new WrenError("aborted", "The request was cancelled while its model was loading."));
      signal.addEventListener("abort", onAbort, { once: true });
      loading.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  async #makeRoom(slot: Slot): Promise<void> {
    const max = this.#options.maxLoaded ?? 2;
    const loaded = [...this.#slots.values()].filter((s) => s.model && s !== slot);
    if (loaded.length < max) return;
    const idle = loaded.filter((s) => s.users === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    const victim = idle[0];
    if (!victim) {
      throw new WrenError("overloaded", `Cannot load '${slot.info.id}': ${loaded.length} models are loaded and all are busy.`, {
        hint: "Retry shortly: a model that finishes its requests makes room for another.",
        isRetryable: true,
        retryAfter: 2,
      });
    }
    await this.#unload(victim, "lru");
  }

  #scheduleIdle(slot: Slot): void {
    const ms = this.#options.idleUnloadMs ?? 300_000;
    if (ms <= 0 || slot.users > 0 || !slot.model) return;
    slot.info.expiresAt = new Date(Date.now() + ms).toISOString();
    slot.timer = setTimeout(() => {
      if (slot.users === 0) void this.#unload(slot, "idle");
    }, ms);
    slot.timer.unref();
  }

  async #unload(slot: Slot, reason: string): Promise<void> {
    const model = slot.model;
    if (!model) return;
    clearTimeout(slot.timer);
    slot.model = undefined;
    slot.info.loaded = false;
    delete slot.info.expiresAt;
    this.#options.onEvent?.("model-unloaded", { model: slot.info.id, reason });
    await model.dispose();
  }

  async dispose(): Promise<void> {
    for (const slot of this.#slots.values()) await this.#unload(slot, "shutdown");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
