import { stat } from "node:fs/promises";
import path from "node:path";
import type { Engine, LocalModel } from "../engine/index.js";
import { inspectGgufFile } from "../models/gguf-check.js";
import type { ModelHost, ModelLease, ModelManager, ModelQueue, ServedModelInfo } from "../server/model-host.js";
import { WrenError } from "../shared/errors.js";
import { parseAdapterChoice, splitAdapterName, type AdapterChoice, type ServedAdapters } from "./adapters-serve.js";
import type { ServedAdapterInfo } from "../server/model-host.js";

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
  /** A registered LoRA adapter applied to this name's requests unless a request names another. */
  adapter?: AdapterChoice;
  /** A draft model's GGUF file for speculative decoding. Default: none (prompt lookup). */
  draft?: string;
  /** Speculative decoding. Default: the engine's. */
  speculative?: "auto" | "lookup" | "off";
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
  /** The adapter registry; absent: no adapters (`base+adapter` names are unknown). */
  adapters?: ServedAdapters;
  /**
   * Requests that may wait for a sequence of a loaded model (`server.maxQueue`); past it a request
   * is refused with 429. The model's own sequence pool keeps this line. Default 16.
   */
  maxQueued?: number;
}

interface Slot {
  info: ServedModelInfo;
  spec: ServedModelSpec;
  model?: LocalModel;
  loading?: Promise<LocalModel>;
  /** The load's progress from 0 to 1 while `loading`, as llama.cpp reports it. */
  progress?: number | undefined;
  users: number;
  lastUsed: number;
  timer?: NodeJS.Timeout;
  /** Idle milliseconds a request asked for (`keep_alive`), until the model unloads. */
  keepAliveMs?: number | undefined;
  /** Set once the name is removed: the last request to end unloads it and resolves this. */
  drained?: () => void;
}

/**
 * The server's ModelHost over the local engine: models load on first use, unload after an idle
 * time, and the least recently used idle one makes room when `maxLoaded` is reached.
 */
export class LocalModelHost implements ModelHost, AsyncDisposable {
  readonly #slots = new Map<string, Slot>();
  readonly #options: LocalModelHostOptions;
  /** Set by runtime/ when the server manages models at run time (pull, create, copy, delete). */
  manager: ModelManager | undefined;

  constructor(options: LocalModelHostOptions) {
    this.#options = options;
    for (const spec of options.models) {
      const id = spec.id ?? path.basename(spec.path).replace(/\.gguf$/i, "");
      if (this.#slots.has(id)) {
        throw new WrenError("config_invalid", `Two served models are both named '${id}'.`, {
          hint: `Serve a file once (a model named twice with --model is one model), or give one an id of its own in the config file: [[server.models]] ref = "…" id = "${id}-2".`,
        });
      }
      this.#slots.set(id, this.#slot(id, spec));
    }
  }

  #slot(id: string, spec: ServedModelSpec): Slot {
    const files = [spec.path, ...(spec.draft ? [spec.draft] : [])].map((f) => path.resolve(f));
    const info: ServedModelInfo = { id, aliases: spec.aliases ?? [], loaded: false, parallel: spec.sequences ?? 4, files, ...(spec.contextSize ? { contextLength: spec.contextSize } : {}) };
    return { spec, users: 0, lastUsed: 0, info };
  }

  /** Reads file sizes, dates and header facts (family, quantisation, chat template) so lists show them before any load. */
  async describe(): Promise<void> {
    for (const slot of this.#slots.values()) await describeSlot(slot);
  }

  /**
   * Serves one more model from now on (a pulled or created one), described from its file. Throws
   * `bad_request` when the name is taken, or when the file is not a GGUF llama.cpp can load.
   */
  async add(spec: ServedModelSpec & { id: string }): Promise<ServedModelInfo> {
    if (this.resolve(spec.id)) throw new WrenError("bad_request", `A model named '${spec.id}' is already served.`, { hint: "Choose another name, or delete that model first." });
    const slot = this.#slot(spec.id, spec);
    // The header check refuses a file that would abort llama.cpp, before any client can load it.
    const summary = await inspectGgufFile(spec.path);
    await describeSlot(slot, summary);
    // Checked again: another request may have taken the name while the file was read.
    if (this.resolve(spec.id)) throw new WrenError("bad_request", `A model named '${spec.id}' is already served.`, { hint: "Choose another name, or delete that model first." });
    this.#slots.set(spec.id, slot);
    return slot.info;
  }

  /** The spec a served name was added with (its file), or undefined. */
  spec(id: string): ServedModelSpec | undefined {
    return this.#slots.get(id)?.spec;
  }

  /**
   * Stops serving a name: new requests no longer find it; it unloads once its running requests
   * end, and the promise resolves then.
   */
  async remove(id: string): Promise<void> {
    const slot = this.#slots.get(id);
    if (!slot) throw new WrenError("model_not_found", `Model '${id}' is not served here.`);
    this.#slots.delete(id);
    if (slot.users > 0) await new Promise<void>((resolve) => (slot.drained = resolve));
    await this.#unload(slot, "removed");
  }

  /**
   * Sets how long a model stays loaded once idle (Ollama's `keep_alive`): 0 unloads it as soon as
   * no request holds it, a negative value keeps it loaded; the server's default applies again once
   * it unloads.
   */
  async keepAlive(id: string, ms: number): Promise<void> {
    const slot = this.#slots.get(id);
    if (!slot?.model) return;
    slot.keepAliveMs = ms;
    if (slot.users > 0) return;
    clearTimeout(slot.timer);
    if (ms === 0) await this.#unload(slot, "keep_alive");
    else this.#scheduleIdle(slot);
  }

  list(): ServedModelInfo[] {
    return [...this.#slots.values()].map((s) => s.info);
  }

  resolve(name: string): ServedModelInfo | undefined {
    const served = this.#resolveServed(name);
    if (served) return served;
    // `base+adapter[:scale]`: the adapter is looked up (and checked) when the request acquires it.
    const split = this.#options.adapters ? splitAdapterName(name) : undefined;
    const base = split ? this.#resolveServed(split.base) : undefined;
    if (!split || !base) return undefined;
    const { adapter: _configured, ...rest } = base;
    return { ...rest, id: `${base.id}+${split.choice}`, aliases: [] };
  }

  /** The adapters requests may name, read from the registry now. */
  async adapters(): Promise<ServedAdapterInfo[]> {
    const list = (await this.#options.adapters?.list()) ?? [];
    return list.map(({ name, base, architecture, scale, addedAt }) => ({ name, base, architecture, scale, addedAt }));
  }

  #resolveServed(name: string): ServedModelInfo | undefined {
    const direct = this.#slots.get(name);
    if (direct) return direct.info;
    for (const slot of this.#slots.values()) if (slot.info.aliases.includes(name)) return slot.info;
    // Ollama names a model without a tag `NAME:latest`, and its clients send that form back.
    if (name.endsWith(":latest")) return this.#resolveServed(name.slice(0, -":latest".length));
    return undefined;
  }

  /** True while the model's weights are being loaded (the router escalates with reason `loading`). */
  isLoading(id: string): boolean {
    return this.#slots.get(id)?.loading !== undefined;
  }

  /** How far the model's load has got (0 to 1) while it loads; undefined otherwise. */
  loadProgress(id: string): number | undefined {
    const slot = this.#slots.get(id);
    return slot?.loading ? slot.progress : undefined;
  }

  /** Loaded models with their live sequence stats. */
  loaded(): Array<{ id: string; stats: ReturnType<LocalModel["stats"]> }> {
    return [...this.#slots.values()].flatMap((s) => (s.model ? [{ id: s.info.id, stats: s.model.stats() }] : []));
  }

  queues(): ModelQueue[] {
    return [...this.#slots.values()].map((s) => {
      const stats = s.model?.stats();
      return { id: s.info.id, active: stats?.active ?? 0, queued: stats?.queued ?? 0, capacity: stats?.capacity ?? s.info.parallel };
    });
  }

  async acquire(id: string, signal?: AbortSignal): Promise<ModelLease> {
    const split = this.#slots.has(id) ? undefined : splitAdapterName(id);
    const baseId = split ? this.#resolveServed(split.base)?.id : id;
    const served = this.#slots.get(id)?.spec;
    const named = split ? parseAdapterChoice(split.choice) : served?.adapter;
    // The slot first, so a load starts (and isLoading says so) before the registry is read.
    const pending = this.#acquireSlot(baseId ?? id, signal);
    // Handled here too: a load that fails while the registry is read must not go unhandled.
    pending.catch(() => undefined);
    let choice = named;
    try {
      // A request naming no adapter gets the model's configured one, else the one promoted for its file.
      if (!choice && !split && served) choice = await this.#options.adapters?.promotedFor(served.path);
    } catch (error) {
      void pending.then((lease) => lease.release(), () => undefined);
      throw error;
    }
    const lease = await pending;
    const slot = this.#slots.get(baseId ?? id);
    if (!choice || !slot?.model || !this.#options.adapters) return lease;
    try {
      // Checked against the base file before any generation: a mismatch would abort llama.cpp.
      const spec = await this.#options.adapters.spec(choice, { id: slot.info.id, path: slot.spec.path });
      const adapter = `${spec.name}:${spec.scale}`;
      const info: ServedModelInfo = { ...slot.info, id: split ? id : slot.info.id, aliases: [], adapter };
      return { model: { info, language: slot.model.withAdapter(spec), tokens: slot.model }, release: () => lease.release() };
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  async #acquireSlot(id: string, signal?: AbortSignal): Promise<ModelLease> {
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
        if (slot.users === 0 && slot.drained) slot.drained();
        else if (slot.users === 0 && slot.keepAliveMs === 0) void this.#unload(slot, "keep_alive");
        else this.#scheduleIdle(slot);
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
        maxQueued: this.#options.maxQueued ?? 16,
        // A served model with no context size asked for gets the largest that fits this machine.
        contextSize: slot.spec.contextSize ?? "auto",
        ...(slot.spec.draft ? { draft: slot.spec.draft } : {}),
        ...(slot.spec.speculative ? { speculative: slot.spec.speculative } : {}),
        onProgress: (fraction) => {
          slot.progress = fraction;
        },
      });
      slot.model = model;
      Object.assign(slot.info, {
        loaded: true,
        contextLength: model.info.contextSize,
        family: model.info.architecture,
        sizeBytes: model.info.sizeBytes,
      });
      this.#options.onEvent?.("model-loaded", {
        model: slot.info.id,
        ms: Math.round(performance.now() - started),
        contextSize: model.info.contextSize,
        context: `${model.info.context.source}: ${model.info.context.reason}`,
      });
      return model;
    })().finally(() => {
      slot.loading = undefined;
      slot.progress = undefined;
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
    const ms = slot.keepAliveMs ?? this.#options.idleUnloadMs ?? 300_000;
    if (slot.users > 0 || !slot.model) return;
    if (ms < 0 || (slot.keepAliveMs === undefined && ms === 0)) {
      delete slot.info.expiresAt;
      return;
    }
    slot.info.expiresAt = new Date(Date.now() + ms).toISOString();
    slot.timer = setTimeout(() => {
      if (slot.users === 0) void this.#unload(slot, "idle");
    }, ms);
    slot.timer.unref();
  }

  async #unload(slot: Slot, reason: string): Promise<void> {
    const model = slot.model;
    slot.keepAliveMs = undefined;
    if (!model) return;
    clearTimeout(slot.timer);
    slot.model = undefined;
    slot.info.loaded = false;
    delete slot.info.expiresAt;
    this.#options.onEvent?.("model-unloaded", { model: slot.info.id, reason });
    await model.dispose();
  }

  async dispose(): Promise<void> {
    this.manager = undefined;
    for (const slot of this.#slots.values()) await this.#unload(slot, "shutdown");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/** Size, date and header facts of a slot's file; a file that cannot be read is left to fail at load. */
async function describeSlot(slot: Slot, known?: Awaited<ReturnType<typeof inspectGgufFile>>): Promise<void> {
  const s = await stat(slot.spec.path).catch(() => undefined);
  if (!s) return;
  slot.info.sizeBytes = s.size;
  slot.info.modifiedAt = s.mtime.toISOString();
  const summary = known ?? (await inspectGgufFile(slot.spec.path).catch(() => undefined));
  if (!summary) return;
  Object.assign(slot.info, {
    family: summary.architecture,
    chatTemplate: summary.chatTemplate !== undefined,
    ...(summary.chatTemplate !== undefined ? { template: summary.chatTemplate } : {}),
    parameterCount: summary.parameterCount,
    ...(summary.fileType ? { quantization: summary.fileType } : {}),
  });
}
