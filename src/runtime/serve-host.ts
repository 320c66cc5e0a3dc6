import { realpathSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Engine, LocalModel } from "../engine/index.js";
import { inspectGgufFile } from "../models/gguf-check.js";
import { parseModelRef } from "../models/ref.js";
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

/**
 * One load of a GGUF file with its load options (see {@link loadKey}): every name served from the
 * same file with the same options shares it, so the file is read once and its requests wait in
 * one line (the model's own admission).
 */
interface Load {
  key: string;
  model?: LocalModel;
  loading?: Promise<LocalModel>;
  /** The load's progress from 0 to 1 while `loading`, as llama.cpp reports it. */
  progress?: number | undefined;
  /** Requests holding it, under any of its names. */
  users: number;
  lastUsed: number;
  timer?: NodeJS.Timeout;
  /** Idle milliseconds a request asked for (`keep_alive`), until the model unloads. */
  keepAliveMs?: number | undefined;
  /** When the idle model will be unloaded, ISO 8601, while one is scheduled. */
  expiresAt?: string | undefined;
  /** Kept loaded with no expiry (a negative `keep_alive`). */
  keptLoaded?: boolean;
}

interface Slot {
  info: ServedModelInfo;
  spec: ServedModelSpec;
  /** The {@link Load} this name's requests use. */
  key: string;
  /** Requests holding the model under this name. */
  users: number;
}

/**
 * What makes two loads of a file differ: the file itself (links followed), its context size, its
 * parallel sequences, its draft model and its speculative decoding. An adapter does not: llama.cpp
 * applies it per context, which the loaded model makes per adapter (`withAdapter`).
 */
function loadKey(spec: ServedModelSpec): string {
  return JSON.stringify([realFile(spec.path), spec.contextSize ?? "auto", spec.sequences ?? DEFAULT_SEQUENCES, spec.draft ? realFile(spec.draft) : null, spec.speculative ?? null]);
}

/** The file at `file` as the file system knows it (links followed); as given, made absolute, where it cannot be read. */
function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

const DEFAULT_SEQUENCES = 4;
/** The longest delay setTimeout keeps (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The latest time a Date holds (ECMAScript: 8.64e15 ms from the epoch). */
const MAX_DATE_MS = 8.64e15;

/**
 * The server's ModelHost over the local engine: models load on first use, unload after an idle
 * time, and the least recently used idle one makes room when `maxLoaded` is reached. Names served
 * from one file with the same load options (a copy, a model created from a served one, two
 * `[[server.models]]` entries) share one load: the file is read once and their requests wait in
 * the one line of the loaded model.
 */
export class LocalModelHost implements ModelHost, AsyncDisposable {
  readonly #slots = new Map<string, Slot>();
  /** The loads the names share, by {@link loadKey}; one is removed with the last name using it. */
  readonly #loads = new Map<string, Load>();
  /** Called (and cleared) each time a request gives its model back: what waits for requests to end. */
  readonly #released = new Set<() => void>();
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
    const info: ServedModelInfo = { id, aliases: spec.aliases ?? [], loaded: false, parallel: spec.sequences ?? DEFAULT_SEQUENCES, files, ...(spec.contextSize ? { contextLength: spec.contextSize } : {}) };
    return { spec, key: loadKey(spec), users: 0, info };
  }

  /** The load a name's requests use, made (unloaded) when no name used it yet. */
  #loadOf(slot: Slot): Load {
    let load = this.#loads.get(slot.key);
    if (!load) this.#loads.set(slot.key, (load = { key: slot.key, users: 0, lastUsed: 0 }));
    return load;
  }

  /** The names served from `load`, in the order they were added. */
  #namesOf(load: Load): Slot[] {
    return [...this.#slots.values()].filter((s) => s.key === load.key);
  }

  /** Reads file sizes, dates and header facts (family, quantisation, chat template) so lists show them before any load. */
  async describe(): Promise<void> {
    for (const slot of this.#slots.values()) await describeSlot(slot);
  }

  /**
   * Serves one more model from now on (a pulled or created one), described from its file: from a
   * file already loaded with the same options, it answers from that load. Throws `bad_request` when
   * the name is taken, or when the file is not a GGUF llama.cpp can load.
   */
  async add(spec: ServedModelSpec & { id: string }): Promise<ServedModelInfo> {
    if (this.resolve(spec.id)) throw new WrenError("bad_request", `A model named '${spec.id}' is already served.`, { hint: "Choose another name, or delete that model first." });
    // The header check refuses a file that would abort llama.cpp, before any client can load it.
    const summary = await inspectGgufFile(spec.path);
    const slot = this.#slot(spec.id, spec);
    await describeSlot(slot, summary);
    // Checked again: another request may have taken the name while the file was read.
    if (this.resolve(spec.id)) throw new WrenError("bad_request", `A model named '${spec.id}' is already served.`, { hint: "Choose another name, or delete that model first." });
    this.#slots.set(spec.id, slot);
    const load = this.#loadOf(slot);
    if (load.model) this.#showLoaded(load, load.model);
    if (load.expiresAt) slot.info.expiresAt = load.expiresAt;
    if (load.keptLoaded) slot.info.keptLoaded = true;
    return slot.info;
  }

  /** The spec a served name was added with (its file), or undefined. */
  spec(id: string): ServedModelSpec | undefined {
    return this.#slots.get(id)?.spec;
  }

  /**
   * Stops serving a name: new requests no longer find it, and the promise resolves once its running
   * requests end. The model unloads then, unless another name is served from the same load.
   */
  async remove(id: string): Promise<void> {
    const slot = this.#slots.get(id);
    if (!slot) throw new WrenError("model_not_found", `Model '${id}' is not served here.`);
    this.#slots.delete(id);
    const load = this.#loadOf(slot);
    await this.#until(() => slot.users === 0);
    if (this.#namesOf(load).length > 0) return;
    // The last name: requests under names removed meanwhile may still hold the load.
    await this.#until(() => load.users === 0);
    if (this.#namesOf(load).length > 0) return;
    this.#loads.delete(load.key);
    await this.#unload(load, "removed");
  }

  async #until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.#released.add(resolve));
  }

  /**
   * Sets how long a model stays loaded once idle (Ollama's `keep_alive`), under whichever of its
   * names: 0 unloads it as soon as no request holds it, a negative value keeps it loaded; the
   * server's default applies again once it unloads.
   */
  async keepAlive(id: string, ms: number): Promise<void> {
    const slot = this.#slots.get(id);
    const load = slot && this.#loadOf(slot);
    if (!load?.model) return;
    load.keepAliveMs = ms;
    if (load.users > 0) return;
    clearTimeout(load.timer);
    if (ms === 0) await this.#unload(load, "keep_alive");
    else this.#scheduleIdle(load);
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

  /** The adapters requests may name, read from the registry now, as any client may see them (no paths). */
  async adapters(): Promise<ServedAdapterInfo[]> {
    const list = (await this.#options.adapters?.list()) ?? [];
    return list.map(({ name, base, architecture, scale, addedAt }) => ({ name, base: base === undefined ? undefined : clientBaseName(base), architecture, scale, addedAt }));
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
    const slot = this.#slots.get(id);
    return slot !== undefined && this.#loadOf(slot).loading !== undefined;
  }

  /** How far the model's load has got (0 to 1) while it loads; undefined otherwise. */
  loadProgress(id: string): number | undefined {
    const slot = this.#slots.get(id);
    const load = slot && this.#loadOf(slot);
    return load?.loading ? load.progress : undefined;
  }

  /** Loaded models with their live sequence stats, under each name served from them. */
  loaded(): Array<{ id: string; stats: ReturnType<LocalModel["stats"]> }> {
    return [...this.#slots.values()].flatMap((s) => {
      const model = this.#loadOf(s).model;
      return model ? [{ id: s.info.id, stats: model.stats() }] : [];
    });
  }

  /** Each model's line once: a loaded model served under several names is reported under the first. */
  queues(): ModelQueue[] {
    const reported = new Set<string>();
    return [...this.#slots.values()].flatMap((s) => {
      const stats = this.#loadOf(s).model?.stats();
      if (stats && reported.has(s.key)) return [];
      reported.add(s.key);
      return [{ id: s.info.id, active: stats?.active ?? 0, queued: stats?.queued ?? 0, capacity: stats?.capacity ?? s.info.parallel }];
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
      void pending.then(({ lease }) => lease.release(), () => undefined);
      throw error;
    }
    const { lease, model, slot } = await pending;
    if (!choice || !this.#options.adapters) return lease;
    try {
      // Checked against the base file before any generation: a mismatch would abort llama.cpp.
      const spec = await this.#options.adapters.spec(choice, { id: slot.info.id, path: slot.spec.path });
      const adapter = `${spec.name}:${spec.scale}`;
      const info: ServedModelInfo = { ...slot.info, id: split ? id : slot.info.id, aliases: [], adapter };
      return { model: { info, language: model.withAdapter(spec), tokens: model }, release: () => lease.release() };
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  async #acquireSlot(id: string, signal?: AbortSignal): Promise<{ lease: ModelLease; model: LocalModel; slot: Slot }> {
    const slot = this.#slots.get(id);
    if (!slot) throw new WrenError("model_not_found", `Model '${id}' is not served here.`);
    const load = this.#loadOf(slot);
    slot.users += 1;
    load.users += 1;
    clearTimeout(load.timer);
    let model: LocalModel;
    try {
      model = load.model ?? (await this.#load(load, slot, signal));
    } catch (error) {
      slot.users -= 1;
      load.users -= 1;
      this.#wake();
      throw error;
    }
    let released = false;
    const lease: ModelLease = {
      model: { info: slot.info, language: model, embedding: model, tokens: model },
      release: () => {
        if (released) return;
        released = true;
        slot.users -= 1;
        load.users -= 1;
        load.lastUsed = Date.now();
        // A load no name is served from any more is unloaded by `remove`, once its requests end.
        if (this.#namesOf(load).length > 0) {
          if (load.users === 0 && load.keepAliveMs === 0) void this.#unload(load, "keep_alive");
          else this.#scheduleIdle(load);
        }
        this.#wake();
      },
    };
    return { lease, model, slot };
  }

  #wake(): void {
    const waiting = [...this.#released];
    this.#released.clear();
    for (const resolve of waiting) resolve();
  }

  async #load(load: Load, slot: Slot, signal?: AbortSignal): Promise<LocalModel> {
    load.loading ??= (async () => {
      await this.#makeRoom(load, slot);
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
          load.progress = fraction;
        },
      });
      load.model = model;
      this.#showLoaded(load, model);
      this.#options.onEvent?.("model-loaded", {
        model: slot.info.id,
        ms: Math.round(performance.now() - started),
        contextSize: model.info.contextSize,
        context: `${model.info.context.source}: ${model.info.context.reason}`,
      });
      return model;
    })().finally(() => {
      load.loading = undefined;
      load.progress = undefined;
    });
    const loading = load.loading;
    if (!signal) return loading;
    return new Promise<LocalModel>((resolve, reject) => {
      const onAbort = (): void => reject(new WrenError("aborted", "The request was cancelled while its model was loading."));
      signal.addEventListener("abort", onAbort, { once: true });
      loading.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Every name served from `load` says it is loaded, with what the load found. */
  #showLoaded(load: Load, model: LocalModel): void {
    for (const name of this.#namesOf(load)) {
      Object.assign(name.info, { loaded: true, contextLength: model.info.contextSize, family: model.info.architecture, sizeBytes: model.info.sizeBytes });
    }
  }

  async #makeRoom(load: Load, slot: Slot): Promise<void> {
    const max = this.#options.maxLoaded ?? 2;
    const loaded = [...this.#loads.values()].filter((l) => l.model && l !== load);
    if (loaded.length < max) return;
    const idle = loaded.filter((l) => l.users === 0).sort((a, b) => a.lastUsed - b.lastUsed);
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

  #scheduleIdle(load: Load): void {
    const ms = load.keepAliveMs ?? this.#options.idleUnloadMs ?? 300_000;
    if (load.users > 0 || !load.model) return;
    if (ms < 0 || (load.keepAliveMs === undefined && ms === 0)) {
      this.#expires(load, undefined, true);
      return;
    }
    const at = Date.now() + ms;
    // A `keep_alive` of 1e308 seconds is past any date: the model stays, with no expiry to report.
    this.#expires(load, at <= MAX_DATE_MS ? new Date(at).toISOString() : undefined, at > MAX_DATE_MS);
    this.#armIdle(load, at);
  }

  /** A timer holds at most MAX_TIMER_MS (longer fires after 1 ms), so a longer wait re-arms it. */
  #armIdle(load: Load, at: number): void {
    load.timer = setTimeout(
      () => {
        if (Date.now() < at) this.#armIdle(load, at);
        else if (load.users === 0) void this.#unload(load, "idle");
      },
      Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS),
    );
    load.timer.unref();
  }

  /** When the idle model unloads: `at`, or never (`kept`), or, for neither, not said. */
  #expires(load: Load, at: string | undefined, kept = false): void {
    load.expiresAt = at;
    load.keptLoaded = kept;
    for (const name of this.#namesOf(load)) {
      if (at) name.info.expiresAt = at;
      else delete name.info.expiresAt;
      if (kept) name.info.keptLoaded = true;
      else delete name.info.keptLoaded;
    }
  }

  async #unload(load: Load, reason: string): Promise<void> {
    const model = load.model;
    load.keepAliveMs = undefined;
    if (!model) return;
    clearTimeout(load.timer);
    load.model = undefined;
    this.#expires(load, undefined);
    for (const name of this.#namesOf(load)) name.info.loaded = false;
    this.#options.onEvent?.("model-unloaded", { model: model.modelId, reason });
    await model.dispose();
  }

  async dispose(): Promise<void> {
    this.manager = undefined;
    for (const load of this.#loads.values()) await this.#unload(load, "shutdown");
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

/**
 * An adapter's base as a client (a LAN peer too) is shown it: a model name or Hub reference as
 * recorded; a base given as a file, whose path names the user's folders, or as a URL, which may
 * carry a token, by its file name without `.gguf`, as a server names a model file it serves.
 * `wren adapters list` shows the record itself.
 */
function clientBaseName(base: string): string | undefined {
  let kind: string;
  try {
    kind = parseModelRef(base).kind;
  } catch {
    kind = "path";
  }
  if (kind === "hf" || (kind === "name" && !/[/\\]/.test(base))) return base;
  let where = base;
  if (kind === "url") {
    try {
      where = new URL(base).pathname;
    } catch {
      return undefined;
    }
  }
  const file = where.split(/[/\\]/).pop()?.replace(/\.gguf$/i, "");
  return file || undefined;
}
