import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../config/index.js";
import { missingModelFile } from "../models/missing-file.js";
import { parseModelRef } from "../models/ref.js";
import type { LanguageModel } from "../protocol/index.js";
import { OllamaModel } from "../providers/ollama/model.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import { ensureDaemon, filesFor, type OutdatedDaemon } from "./daemon.js";
import type { StaleDaemonFiles } from "./daemon-inspect.js";
import { ownerHeaders } from "./daemon-identity.js";
import { readLock, type DaemonLock, type DaemonState } from "./daemon-state.js";
import { unappliedStartFlags } from "./daemon-start-flags.js";

/** Options of {@link openDaemonModel}. */
export interface DaemonModelOptions {
  /** `--model`: a path, model reference or route; omitted means {@link preferred}, else the daemon's first model. */
  ref?: string | undefined;
  /**
   * What {@link ref} stands for when it is an alias in this client's configuration (see
   * `daemonRefTarget`): the daemon is started with it, since a project's aliases are not the
   * daemon's. A running daemon that serves no model under `ref` as written answers with the model it
   * serves from it: under its name (a GGUF file's without `.gguf`), or a GGUF file it serves under
   * any name; a GGUF file it does not serve is added to it.
   */
  refTarget?: string | undefined;
  /**
   * The model this client's own configuration chooses when no `ref` is given (see
   * `preferredDaemonModel`): the daemon is started with it, and a running daemon's is used when
   * it serves it (a GGUF file is added to it); otherwise the daemon's first model answers, and
   * {@link DaemonModel.fallback} says so. A list is one model's names: the first is what the daemon
   * is started with and comes first; a model served under a later one (an alias's own name) is used
   * before the daemon's first model.
   */
  preferred?: string | readonly string[] | undefined;
  /** Engine flags for `wren serve` in case the daemon has to be started (`--gpu`, `--threads`, `--context`). */
  serveArgs?: string[];
  env?: Env;
  /** How to run the CLI in the daemon's process; see {@link ensureDaemon}. */
  command?: string[];
  /** Stops waiting for a starting daemon (which goes on starting). */
  signal?: AbortSignal;
}

/** The daemon's answer model and where it runs. */
export interface DaemonModel {
  model: LanguageModel;
  /** The daemon's address (`http://127.0.0.1:PORT`). */
  url: string;
  /** The daemon's process. */
  pid: number;
  /** The lock of the daemon that answers (its control port and token), for its session list. */
  lock: DaemonLock | undefined;
  /** Stale daemon files removed on the way (the process they named, if any, was left alone). */
  staleRemoved?: StaleDaemonFiles | undefined;
  /** The daemon runs another wren version and was busy, so it answers as it is (see `outdatedNotice`). */
  outdated?: OutdatedDaemon | undefined;
  /**
   * The flags of {@link DaemonModelOptions.serveArgs} that had no effect: the daemon was already
   * running, with the settings it started with (see `unappliedStartFlags`). Empty when it was started here.
   */
  unappliedFlags: string[];
  /**
   * The running daemon does not serve {@link DaemonModelOptions.preferred} (and it is no GGUF file
   * to add), so its first model answers instead: the caller tells the user which, and why.
   */
  fallback?: { asked: string; answered: string } | undefined;
  /**
   * Whether the model has a chat template, as the daemon reports it (Ollama's `/api/show`): false
   * for a completion model such as stories260K, which `wren run` continues as raw text.
   */
  chatTemplate: boolean;
  /** The context each request gets, as the daemon reports it; undefined when it does not say. */
  contextLength: number | undefined;
  /** The same model for raw prompts: continued as they are (Ollama's `/api/generate` with `raw`), never wrapped as a chat turn. */
  completion: LanguageModel;
}

/**
 * What the daemon says of its model (Ollama's `/api/show`): whether it has a chat template (one
 * without gets Ollama's template for that, `{{ .Prompt }}`), and the context each request gets
 * (`<family>.context_length`). A daemon that does not say is taken to chat, with no context known.
 */
export async function servedModelFacts(url: string, modelId: string, headers: Record<string, string> = {}): Promise<{ chatTemplate: boolean; contextLength: number | undefined }> {
  const res = await fetch(`${url}/api/show`, { method: "POST", headers, body: JSON.stringify({ model: modelId }), signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  if (!res?.ok) return { chatTemplate: true, contextLength: undefined };
  const body = (await res.json().catch(() => ({}))) as { template?: unknown; model_info?: Record<string, unknown> };
  const context = Object.entries(body.model_info ?? {}).find(([key]) => key.endsWith(".context_length"))?.[1];
  return { chatTemplate: body.template !== "{{ .Prompt }}", contextLength: typeof context === "number" && context > 0 ? context : undefined };
}

/**
 * Asks the daemon to serve `file` too (Ollama's `/api/create` from a path, which the daemon's own
 * user may send): under the file's name, or `name-2`, `name-3`… when a model by that name is
 * served from another file. Returns the id it is served under.
 */
async function addToDaemon(url: string, headers: Record<string, string>, file: string, served: readonly string[]): Promise<string> {
  const base = path.basename(file).replace(/\.gguf$/i, "");
  let id = base;
  for (let n = 2; served.includes(id); n++) id = `${base}-${n}`;
  const res = await fetch(`${url}/api/create`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ model: id, from: file, stream: false }),
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok) {
    const said = ((await res.json().catch(() => ({}))) as { error?: unknown }).error;
    throw new WrenError("model_not_found", `The running wren daemon could not add ${file} (HTTP ${res.status}${typeof said === "string" ? `: ${said}` : ""}).`, {
      hint: "Stop it with `wren daemon stop` so the next run starts it with this model, or run with --no-daemon.",
    });
  }
  return id;
}

/** The file at `file` as the file system knows it (links followed); as given, made absolute, where it cannot be read. */
function samePathKey(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * The ids among `ids` that the daemon serves from the GGUF file `file` (its `/status` lists each
 * local model's files, the model's own first, to wren's own commands), whatever their names: a
 * daemon started without `--model` serves the user's `models.default` under the alias's own name,
 * not the file's. Empty when it does not list them (a daemon of an older wren).
 */
async function idsServingFile(url: string, headers: Record<string, string>, file: string, ids: readonly string[]): Promise<string[]> {
  const res = await fetch(`${url}/status`, { headers, signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  if (!res?.ok) {
    await res?.body?.cancel();
    return [];
  }
  const body = (await res.json().catch(() => ({}))) as { models?: Array<{ id?: unknown; files?: unknown }> };
  const wanted = samePathKey(file);
  return (body.models ?? []).flatMap((m) => {
    const own = Array.isArray(m.files) ? (m.files[0] as unknown) : undefined;
    return typeof m.id === "string" && ids.includes(m.id) && typeof own === "string" && samePathKey(own) === wanted ? [m.id] : [];
  });
}

/** The ids a `--model` value may be served under: as given, or a GGUF file's name without `.gguf`. */
export function candidateIds(ref: string): string[] {
  const base = path.basename(ref).replace(/\.gguf$/i, "");
  return [...new Set([ref, base])];
}

/** The model ids the daemon at `url` serves (its `/v1/models`); `headers`: see {@link ownerHeaders}. */
export async function servedIds(url: string, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(`${url}/v1/models`, { headers, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new WrenError("upstream_error", `The wren daemon at ${url} did not list its models (HTTP ${res.status}).`, { hint: "See `wren daemon logs`, or restart it with `wren daemon stop`." });
  const body = (await res.json()) as { data?: Array<{ id?: unknown }> };
  return (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string");
}

/**
 * The `--model` values among `refs` that the running daemon (`state`) does not serve: given to a
 * start that found it running, they had no effect. A GGUF file it serves under another name (an
 * alias's) is served, and so is an alias of the user's (the daemon's own configuration: no project
 * file) whose model it serves. Empty when it does not list its models (nothing is claimed then).
 */
export async function refsNotServed(state: DaemonState, refs: readonly string[], env?: Env): Promise<string[]> {
  const found = await readLock(filesFor(env));
  const lock = found.kind === "lock" && found.lock.pid === state.pid ? found.lock : undefined;
  const headers = ownerHeaders(lock);
  const ids = await servedIds(state.url, headers).catch(() => undefined);
  if (!ids) return [];
  const { aliases } = (await loadConfig({ ...(env ? { env } : {}), projectFile: false })).config.models;
  const missing: string[] = [];
  for (const ref of refs) {
    const target = aliases[ref];
    if ((await servedUnder(state.url, headers, target === undefined || target === ref ? [ref] : [ref, target], ids)) === undefined) missing.push(ref);
  }
  return missing;
}

/**
 * The id the daemon at `url` serves one model under, given the model's `names` in order (as written,
 * then what an alias stands for; see `openDaemonModel`), of the `ids` it serves: for each name, the
 * id it is served under (a GGUF file's name without `.gguf` too), else for a GGUF file, a model the
 * daemon serves from that file under any name (an alias's, one of `names` first). With `add`, a GGUF
 * file on disk that it does not serve is added to it; added while served, it would be loaded twice.
 * Undefined when it serves none of them (and none was added).
 */
export async function servedUnder(url: string, headers: Record<string, string>, names: readonly string[], ids: readonly string[], add = false): Promise<string | undefined> {
  for (const name of names) {
    const id = candidateIds(name).find((c) => ids.includes(c));
    if (id) return id;
    if (!/\.gguf$/i.test(name)) continue;
    const serving = await idsServingFile(url, headers, name, ids);
    const same = serving.find((s) => names.includes(s)) ?? serving[0];
    if (same) return same;
    // A GGUF file the daemon does not serve yet is added to it, as Ollama loads another model: the
    // daemon unloads the least recently used idle model when it needs the room.
    if (add && existsSync(name)) return addToDaemon(url, headers, path.resolve(name), ids);
  }
  return undefined;
}

/**
 * A model answered by the background daemon (its OpenAI-compatible chat completions endpoint): the
 * daemon is started on demand with `ref` (what its alias stands for) or the configured default,
 * restarted once if it died, and keeps the model loaded between runs.
 */
export async function openDaemonModel(options: DaemonModelOptions = {}): Promise<DaemonModel> {
  // A path with no file there (a typo) is said to be one, with the file it was likely meant as: no
  // daemon serves it, and none is started for it.
  if (options.ref !== undefined && /^(\/|\.\.?[/\\]|~|[A-Za-z]:[/\\])/.test(options.ref.trim())) {
    const parsed = parseModelRef(options.ref);
    if (parsed.kind === "path" && !existsSync(parsed.path)) throw await missingModelFile(parsed.path);
  }
  const preferred = typeof options.preferred === "string" ? [options.preferred] : (options.preferred ?? []);
  // One model's names, in the order they are looked for: a model named for the run as written, then
  // what its alias stands for; else the configured default, what its alias stands for first.
  const names = options.ref ? [options.ref, ...(options.refTarget && options.refTarget !== options.ref ? [options.refTarget] : [])] : preferred;
  const startWith = options.ref ? names.at(-1) : preferred[0];
  const serveArgs = [...(startWith ? ["--model", startWith] : []), ...(options.serveArgs ?? [])];
  const { state, staleRemoved, outdated, alreadyRunning } = await ensureDaemon({
    serveArgs,
    ...(options.env ? { env: options.env } : {}),
    ...(options.command ? { command: options.command } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { url } = state;
  const found = await readLock(filesFor(options.env));
  const lock = found.kind === "lock" && found.lock.pid === state.pid ? found.lock : undefined;
  const headers = ownerHeaders(lock);
  const ids = await servedIds(url, headers);
  let modelId = names.length > 0 ? await servedUnder(url, headers, names, ids, true) : ids[0];
  // Only a model named for this run must be the one that answers; the configured default may be
  // stood in for by the daemon's first model, and the user is told (see `fallback`).
  let fallback: DaemonModel["fallback"];
  if (!modelId && !options.ref) {
    modelId = ids[0];
    if (modelId && startWith) fallback = { asked: startWith, answered: modelId };
  }
  if (!modelId) {
    const asked = options.ref ? `"${options.ref}"${names.length > 1 ? ` (an alias of ${names[1]})` : ""}` : "any model";
    throw new WrenError("model_not_found", `The running wren daemon does not serve ${asked} (it serves: ${ids.join(", ") || "nothing"}).`, {
      hint: "Name a model it serves, a GGUF file (it is added to the daemon) or an alias in models.aliases that stands for one of these; or stop it with `wren daemon stop`, so the next run starts it with this model.",
    });
  }
  const facts = await servedModelFacts(url, modelId, headers);
  return {
    url,
    pid: state.pid,
    lock,
    staleRemoved,
    outdated,
    fallback,
    unappliedFlags: alreadyRunning ? unappliedStartFlags(options.serveArgs ?? [], url) : [],
    model: new OpenAICompatibleModel({ provider: "wren", modelId, baseURL: `${url}/v1`, headers }),
    chatTemplate: facts.chatTemplate,
    contextLength: facts.contextLength,
    completion: new OllamaModel({ modelId, baseURL: url, headers }),
  };
}
