import { stat } from "node:fs/promises";
import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import { closeCatalogNames, closeModelNames, findCatalogEntry, orList } from "./catalog.js";
import { discoverLmStudioModels } from "./discovery/lmstudio.js";
import { discoverOllamaModels, matchOllamaName, missingOllamaBlob } from "./discovery/ollama-store.js";
import type { DiscoveredModel } from "./discovery/types.js";
import type { ProgressListener } from "./download.js";
import { looksLikeLanguageModel } from "./gguf-architecture.js";
import type { FetchLike } from "./hub.js";
import { readManifest, touchEntry } from "./manifest.js";
import { missingModelFile } from "./missing-file.js";
import { pullModel } from "./pull.js";
import { formatModelRef, hubModelName, parseModelRef } from "./ref.js";
import { absoluteEntryPath, findStored, storedNames } from "./store.js";

/** Where a resolved model's file came from. */
export type ModelSource = "store" | "pulled" | "path" | "ollama" | "lmstudio";

export interface ResolvedModel {
  /** Absolute path of the GGUF file (the first part of a split model). */
  path: string;
  /** The reference, canonical. */
  ref: string;
  source: ModelSource;
}

export interface ResolveModelOptions {
  /** The models directory (see `resolvePaths().modelsDir`). */
  modelsDir: string;
  /** Never touch the network: a model that is not present is an error that says what to run. Default false. */
  offline?: boolean;
  /**
   * The command never downloads (`models info`, `models fit`): like `offline`, but a missing model
   * is reported as not downloaded, with the pull that gets it, not as blocked by offline mode.
   */
  neverDownloads?: boolean;
  /** Download progress, when the model has to be pulled. */
  onProgress?: ProgressListener | undefined;
  /** Status lines for people (waiting on another download...). */
  onStatus?: ((message: string) => void) | undefined;
  /** Environment: HF_ENDPOINT, HF_TOKEN, OLLAMA_MODELS. Default `process.env`. */
  env?: Env;
  /** Home directory for Ollama and LM Studio discovery. Default `os.homedir()`. */
  home?: string;
  /** Hub token from config (HF_TOKEN wins). */
  token?: string | undefined;
  fetch?: FetchLike;
  signal?: AbortSignal | undefined;
}

function offlineError(ref: string): WrenError {
  return new WrenError("model_not_found", `${ref} is not downloaded, and wren is offline.`, {
    hint: `Run \`wren pull ${ref}\` while online, then try again.`,
  });
}

/**
 * A name that is no model here nor in the catalog, said in one line, with the names it is closest
 * to (`here`: models on this machine, offered first; `catalog`: names `wren pull` gets) and how to
 * list and get models.
 */
function noSuchModel(name: string, here: readonly string[], catalog: readonly string[]): WrenError {
  const close = [...new Set([...here, ...catalog])].slice(0, 3);
  const list = "`wren models list` shows the models here";
  let hint: string;
  if (close.length === 0) hint = `${list}; \`wren pull NAME\` gets one (\`wren models recommend\` names one for this machine).`;
  else if (here.includes(close[0]!)) hint = `Did you mean ${orList(close)}? ${list}.`;
  else hint = `Did you mean ${orList(close)}? Run \`wren pull ${close[0]}\`.`;
  return new WrenError("model_not_found", `There is no model "${name}" (wren looked in its store, Ollama, LM Studio and the catalog).`, { hint });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The LM Studio model `name` means: the file of that name, else, for a repo (`publisher/repo`), its
 * first file whose first bytes say it is a language model (a `notes.gguf` that is not GGUF, or a
 * projector, sorted first must not be picked); failing that its first file, for the check to say
 * what is wrong with it.
 */
async function pickLmStudioModel(models: DiscoveredModel[], name: string): Promise<DiscoveredModel | undefined> {
  const exact = models.find((m) => m.name === name);
  if (exact) return exact;
  const inRepo = models.filter((m) => m.name.startsWith(`${name}/`));
  for (const model of inRepo) if (await looksLikeLanguageModel(model.path)) return model;
  return inRepo[0];
}

function discoveryOptions(options: ResolveModelOptions): { env: Env; home?: string } {
  return { env: options.env ?? process.env, ...(options.home ? { home: options.home } : {}) };
}

/**
 * Turns any reference (hf:…, URL, path, store name, Ollama or LM Studio name, catalog name) into a
 * GGUF file on disk, pulling it first when needed and allowed. Every command that takes a model goes
 * through here.
 */
export async function resolveModelRef(refText: string, options: ResolveModelOptions): Promise<ResolvedModel> {
  const parsed = parseModelRef(refText, options.home);
  if (parsed.kind === "path") {
    if (await isFile(parsed.path)) return { path: parsed.path, ref: parsed.path, source: "path" };
    // `publisher/repo/file.gguf` with no file there: LM Studio's name for one of its models.
    if (!/^(\/|\.\.?[/\\]|~|[A-Za-z]:[/\\])/.test(refText.trim())) {
      const lmstudio = (await discoverLmStudioModels(discoveryOptions(options))).find((m) => m.name === refText.trim());
      if (lmstudio) return { path: lmstudio.path, ref: lmstudio.name, source: "lmstudio" };
    }
    throw await missingModelFile(parsed.path);
  }
  // `hf:org/repo` with two quantisations stored is refused, naming each: never the store's first.
  const stored = await findStored(options.modelsDir, parsed, { text: refText.trim() });
  if (stored) {
    await touchEntry(options.modelsDir, stored.file, undefined, { signal: options.signal });
    return { path: absoluteEntryPath(options.modelsDir, stored.file), ref: stored.ref, source: "store" };
  }
  // Ollama's name for a Hub model (`hf.co/org/repo:quant`): Ollama's own copy first, then the store's, then the Hub.
  const hubRef = parsed.kind === "name" ? hubModelName(parsed.name) : undefined;
  if (parsed.kind === "name" && hubRef) {
    const ollama = matchOllamaName(await discoverOllamaModels(discoveryOptions(options)), parsed.name);
    if (ollama && !ollama.missing) return { path: ollama.path, ref: ollama.name, source: "ollama" };
    const storedHub = await findStored(options.modelsDir, hubRef, { text: refText.trim() });
    if (storedHub) {
      await touchEntry(options.modelsDir, storedHub.file, undefined, { signal: options.signal });
      return { path: absoluteEntryPath(options.modelsDir, storedHub.file), ref: storedHub.ref, source: "store" };
    }
  } else if (parsed.kind === "name") {
    const discovery = discoveryOptions(options);
    const ollamaModels = await discoverOllamaModels(discovery);
    const ollama = matchOllamaName(ollamaModels, parsed.name);
    if (ollama && !ollama.missing) return { path: ollama.path, ref: ollama.name, source: "ollama" };
    const lmstudioModels = await discoverLmStudioModels(discovery);
    const lmstudio = await pickLmStudioModel(lmstudioModels, parsed.name);
    if (lmstudio) return { path: lmstudio.path, ref: lmstudio.name, source: "lmstudio" };
    if (!findCatalogEntry(parsed.name)) {
      if (ollama) throw missingOllamaBlob(ollama);
      const here = [...(await readManifest(options.modelsDir)).models.flatMap(storedNames), ...ollamaModels.filter((m) => !m.missing).map((m) => m.name), ...lmstudioModels.map((m) => m.name)];
      throw noSuchModel(parsed.name, closeModelNames(parsed.name, here), closeCatalogNames(parsed.name));
    }
  }
  const ref = formatModelRef(hubRef ?? parsed);
  if (options.neverDownloads) {
    // Said once: the hint is the one next step (the message used to name `wren pull` twice).
    throw new WrenError("model_not_found", `${ref} is not downloaded, and \`wren models info\` and \`fit\` read only models already here.`, {
      hint: `Run \`wren pull ${ref}\` first.`,
    });
  }
  if (options.offline) throw offlineError(ref);
  const pulled = await pullModel(refText, {
    modelsDir: options.modelsDir,
    env: options.env ?? process.env,
    token: options.token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    signal: options.signal,
    onProgress: options.onProgress,
    onStatus: options.onStatus,
  });
  await touchEntry(options.modelsDir, pulled.entry.file, undefined, { signal: options.signal });
  return { path: pulled.path, ref: pulled.entry.ref, source: pulled.downloaded ? "pulled" : "store" };
}
