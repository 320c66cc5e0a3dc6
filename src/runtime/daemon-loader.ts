import { setTimeout as sleep } from "node:timers/promises";
import { abortedError } from "../shared/abort.js";
import { serializeError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import type { DaemonConnection } from "./daemon-agent-model.js";
import type { DaemonLoad } from "./daemon-load.js";
import { daemonNotices, type DaemonNotice } from "./daemon-notice.js";
import type { DaemonFiles, DaemonLock } from "./daemon-state.js";
import type { ModelLoadHandle, ModelLoadState } from "./model-load-state.js";

/** Options of {@link DaemonModelLoader}. */
export interface DaemonModelLoaderOptions {
  /** The daemon's `--model` (a path or reference) if it has to be started; undefined: {@link preferred}, else its default. */
  ref: string | undefined;
  /** What {@link ref} stands for when it is an alias in the session's configuration; see `openDaemonModel`. */
  refTarget?: string | undefined;
  /** The model the session's configuration names (`models.default`); see `openDaemonModel`. */
  preferred?: string | readonly string[] | undefined;
  /** The model's name on the status line until the daemon names it. */
  label: string;
  /** Whether turns go to a teacher until the model is ready, or wait for it. */
  meanwhile: ModelLoadState["meanwhile"];
  /** Engine flags for `wren serve` in case the daemon has to be started. */
  serveArgs?: string[];
  env?: Env;
  /** How to run wren for the daemon: the program and leading arguments. Default: this process's own script. */
  command?: string[];
  /** Milliseconds between two looks at the load's progress. Default 200. */
  pollMs?: number;
  /** Hears what the user should be told of the daemon (a busy one of another wren version), each time it is reached. */
  onNotice?: ((notice: DaemonNotice) => void) | undefined;
}

/**
 * The assistant's local model, loaded by the background daemon while the session goes on: the
 * daemon is started on demand (or found warm, with the model already loaded: nothing to wait for),
 * and its control listener's load report (`GET /load`) is followed into {@link state}, so the
 * status line can say `loading qwen3 42%`. A daemon that unloaded its idle model is asked to load it
 * again (`POST /load`). {@link isReady} and {@link whenReady} are what the router's local target
 * needs; {@link load} and {@link reload} are what the daemon-backed model connects with.
 */
export class DaemonModelLoader implements ModelLoadHandle, Disposable {
  #state: ModelLoadState;
  readonly #listeners = new Set<(state: ModelLoadState) => void>();
  #loading: Promise<DaemonConnection> | undefined;
  #contextLength: number | undefined;
  /** Stops every progress poll when the session closes. */
  readonly #closed = new AbortController();

  constructor(private readonly options: DaemonModelLoaderOptions) {
    this.#state = { phase: "idle", model: options.label, meanwhile: options.meanwhile };
  }

  get state(): ModelLoadState {
    return this.#state;
  }

  /** The context each request gets from the daemon's model, once it is reached; undefined before. */
  get contextLength(): number | undefined {
    return this.#contextLength;
  }

  subscribe(listener: (state: ModelLoadState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  readonly isReady = (): boolean => this.#state.phase === "ready";

  start(): void {
    // A failure is in the state (phase `failed`); the next turn tries again.
    this.load().catch(() => undefined);
  }

  /** The daemon's model once loaded; one load at a time, shared by every caller. */
  load(): Promise<DaemonConnection> {
    return (this.#loading ??= this.#open());
  }

  /** Forgets the connection (its daemon died) and loads again. */
  reload(): Promise<DaemonConnection> {
    this.#loading = undefined;
    return this.load();
  }

  /** Resolves once loaded, starting the load if need be; rejects with the load's error, or when `signal` fires. */
  readonly whenReady = async (signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw abortedError(signal);
    const loading = this.load();
    if (!signal) {
      await loading;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(abortedError(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      loading.then(() => resolve(), reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  };

  async #open(): Promise<DaemonConnection> {
    const { env, command, ref, refTarget, preferred, serveArgs } = this.options;
    // Loaded when the model is first asked for: a session answered by teachers alone never pays for them.
    const [{ filesFor }, { inspectDaemon }, { daemonLoad }, { openDaemonModel }] = await Promise.all([
      import("./daemon.js"),
      import("./daemon-inspect.js"),
      import("./daemon-load.js"),
      import("./daemon-model.js"),
    ]);
    const files = filesFor(env);
    const polling = new AbortController();
    const stopPolling = (): void => polling.abort();
    this.#closed.signal.addEventListener("abort", stopPolling, { once: true });
    try {
      const found = await inspectDaemon(files);
      let warm = false;
      if (found.kind === "running" && found.phase === "ready") {
        // Asking for a load costs nothing when the model is loaded; after an idle unload it starts one.
        const report = await daemonLoad(found.lock, { load: true });
        warm = report === undefined || report.phase === "ready";
        if (report && !warm) {
          this.#follow(report);
          await this.#poll(files, polling.signal, () => daemonLoad(found.lock), true);
        }
      } else {
        this.#set({ phase: "starting", progress: undefined, error: undefined });
        void this.#poll(files, polling.signal, (lock) => daemonLoad(lock), false);
      }
      // Closing the session stops the wait, not the daemon: it goes on loading for the next session.
      const opened = await openDaemonModel({ ref, refTarget, preferred, ...(serveArgs ? { serveArgs } : {}), ...(env ? { env } : {}), ...(command ? { command } : {}), signal: this.#closed.signal });
      stopPolling();
      for (const notice of daemonNotices(opened)) this.options.onNotice?.(notice);
      this.#set({ phase: "ready", model: opened.model.modelId, progress: undefined, warm, error: undefined });
      this.#contextLength = opened.contextLength;
      return { model: opened.model, lock: opened.lock, contextLength: opened.contextLength };
    } catch (error) {
      stopPolling();
      this.#loading = undefined;
      this.#set({ phase: "failed", progress: undefined, error: serializeError(error) });
      throw error;
    } finally {
      this.#closed.signal.removeEventListener("abort", stopPolling);
    }
  }

  /**
   * Follows the daemon's load report until polling stops; with `untilReady`, returns once the
   * report says `ready` (or the daemon stops answering: the connection that follows says why).
   */
  async #poll(files: DaemonFiles, signal: AbortSignal, read: (lock: DaemonLock) => Promise<DaemonLoad | undefined>, untilReady: boolean): Promise<void> {
    const { readLock } = await import("./daemon-state.js");
    while (!signal.aborted) {
      const found = await readLock(files);
      const report = found.kind === "lock" ? await read(found.lock) : undefined;
      if (signal.aborted) return;
      if (report) this.#follow(report);
      if (untilReady && (report === undefined || report.phase === "ready")) return;
      try {
        await sleep(this.options.pollMs ?? 200, undefined, { signal, ref: false });
      } catch {
        return;
      }
    }
  }

  /** The daemon's report as this session's state; `ready` waits for the connection, which confirms it. */
  #follow(report: DaemonLoad): void {
    if (report.phase !== "loading") return;
    this.#set({ phase: "loading", ...(report.model ? { model: report.model } : {}), progress: report.progress });
  }

  #set(change: Partial<ModelLoadState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener(this.#state);
  }

  [Symbol.dispose](): void {
    this.#closed.abort();
    this.#listeners.clear();
  }
}
