import { catalog } from "../models/catalog.js";
import { formatBytes } from "../models/bytes.js";
import type { ResolvedModel } from "../models/index.js";
import { WrenError } from "../shared/errors.js";
import { explainEmbeddedDefaultFailure } from "./default-model.js";
import { resolveModelForUser, type ModelsContext, type ResolveForUserOptions } from "./models.js";

/** "qwen2.5-0.5b (Qwen/Qwen2.5-0.5B-Instruct-GGUF, about 491 MB)". */
export function describeEmbeddedDefault(ref: string): string {
  const entry = catalog.find((e) => e.name === ref);
  return entry ? `${ref} (${entry.repo}, about ${formatBytes(entry.sizeBytes)})` : ref;
}

/**
 * Finds wren's embedded default model, downloading it when it is not here yet. Before a download
 * starts the user is told what it is and how big, instead of waiting in silence for the network;
 * offline, or when the download fails, the error says how to give wren a model instead.
 */
export async function resolveEmbeddedDefault(ref: string, context: ModelsContext, options: ResolveForUserOptions & { reason?: string | undefined } = {}): Promise<ResolvedModel> {
  const stream = options.stream ?? process.stderr;
  try {
    return await resolveModelForUser(ref, context, { ...options, offline: true });
  } catch (error) {
    const absent = error instanceof WrenError && error.code === "model_not_found";
    if (options.offline || !absent) throw explainEmbeddedDefaultFailure(error, ref);
  }
  stream.write(
    `wren: no model is configured, so wren is downloading its default for this machine: ${describeEmbeddedDefault(ref)}. ` +
      (options.reason ? `Picked as it ${options.reason}. ` : "") +
      "Pass --model PATH (or set models.default) to use another.\n",
  );
  try {
    return await resolveModelForUser(ref, context, options);
  } catch (error) {
    throw explainEmbeddedDefaultFailure(error, ref);
  }
}
