import path from "node:path";
import { WrenError } from "../shared/errors.js";
import { lmStudioDirs } from "./discovery/lmstudio.js";
import { ollamaModelsDirs } from "./discovery/ollama-store.js";
import type { DiscoveryOptions } from "./discovery/types.js";

/** Another tool whose downloads wren reads in place and never changes. */
export type ModelOwner = "LM Studio" | "Ollama";

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** The tool that owns `file`: it lies in one of LM Studio's or Ollama's models folders (where discovery found it). */
export function modelOwner(file: string, options: DiscoveryOptions = {}): ModelOwner | undefined {
  const absolute = path.resolve(file);
  if (lmStudioDirs(options).some((dir) => isInside(absolute, dir))) return "LM Studio";
  if (ollamaModelsDirs(options).some((dir) => isInside(absolute, dir))) return "Ollama";
  return undefined;
}

/**
 * `error` with a hint for a file another tool owns: a damaged model there is downloaded again in
 * that tool; `wren pull` would put a second copy in wren's store and leave the damaged one in place.
 * Other errors, and files wren owns, pass unchanged.
 */
export function withOwnerHint(error: unknown, file: string, options: DiscoveryOptions = {}): unknown {
  if (!(error instanceof WrenError) || error.code !== "model_invalid" || !error.hint?.includes("wren pull")) return error;
  const owner = modelOwner(file, options);
  if (!owner) return error;
  return new WrenError(error.code, error.message, {
    hint: `The file belongs to ${owner} (wren reads it in place): download the model again in ${owner}, or pass another model.`,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
    ...(error.details ? { details: error.details } : {}),
  });
}
