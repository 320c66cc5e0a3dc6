import type { LanguageModel } from "../protocol/index.js";
import { filesFor } from "./daemon.js";
import { ownerHeaders } from "./daemon-identity.js";
import { inspectDaemon } from "./daemon-inspect.js";
import type { Env } from "../shared/paths.js";
import { servedIds, servedUnder } from "./daemon-model.js";

/** The running daemon's model that answers `wren cmd`, and where the daemon listens. */
export interface CmdDaemonModel {
  model: LanguageModel;
  /** The daemon's address (`http://127.0.0.1:PORT`). */
  url: string;
}

/**
 * The model `ref` as served by a wren daemon that is already running, or undefined when none runs,
 * it is still loading, it does not serve that model, or it does not answer: then `wren cmd` loads
 * the model itself. Unlike `wren run --daemon`, no daemon is ever started here, and the daemon is
 * trusted only once it proved itself through its control listener (never on a pid's word). `ref` is
 * found as `wren run --daemon` finds it: as written, then as what `refTarget` (an alias's target)
 * stands for; a GGUF file the daemon serves under any name is that model, so it is not loaded twice.
 */
export async function runningDaemonModel(ref: string, options: { refTarget?: string | undefined; env?: Env } = {}): Promise<CmdDaemonModel | undefined> {
  const found = await inspectDaemon(filesFor(options.env));
  if (found.kind !== "running" || found.phase !== "ready" || !found.state) return undefined;
  const { url } = found.state;
  let ids: string[];
  try {
    ids = await servedIds(url, ownerHeaders(found.lock));
  } catch {
    // Busy or stuck: answering in-process is slower to start but never worse than failing.
    return undefined;
  }
  const names = options.refTarget !== undefined && options.refTarget !== ref ? [ref, options.refTarget] : [ref];
  const modelId = await servedUnder(url, ownerHeaders(found.lock), names, ids).catch(() => undefined);
  if (!modelId) return undefined;
  // The OpenAI SDK is loaded only when the daemon answers.
  const { OpenAICompatibleModel } = await import("../providers/openai-compatible/model.js");
  return { url, model: new OpenAICompatibleModel({ provider: "wren", modelId, baseURL: `${url}/v1`, headers: ownerHeaders(found.lock) }) };
}
