import type { LanguageModel } from "../protocol/index.js";
import { filesFor } from "./daemon.js";
import { ownerHeaders } from "./daemon-identity.js";
import { inspectDaemon } from "./daemon-inspect.js";
import { candidateIds, servedIds } from "./daemon-model.js";

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
 * trusted only once it proved itself through its control listener (never on a pid's word).
 */
export async function runningDaemonModel(ref: string): Promise<CmdDaemonModel | undefined> {
  const found = await inspectDaemon(filesFor(undefined));
  if (found.kind !== "running" || found.phase !== "ready" || !found.state) return undefined;
  const { url } = found.state;
  let ids: string[];
  try {
    ids = await servedIds(url, ownerHeaders(found.lock));
  } catch {
    // Busy or stuck: answering in-process is slower to start but never worse than failing.
    return undefined;
  }
  const modelId = candidateIds(ref).find((id) => ids.includes(id));
  if (!modelId) return undefined;
  // The OpenAI SDK is loaded only when the daemon answers.
  const { OpenAICompatibleModel } = await import("../providers/openai-compatible/model.js");
  return { url, model: new OpenAICompatibleModel({ provider: "wren", modelId, baseURL: `${url}/v1`, headers: ownerHeaders(found.lock) }) };
}
