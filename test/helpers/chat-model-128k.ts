import path from "node:path";
import { sharedModelsDir } from "./shared-models.js";

/** The ChatML model with a 128k context: the assistant's system prompt and tool list need ~8k tokens. */
export const chat128k = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");

/** The name wren gives {@link chat128k}. */
export const CHAT_128K_ID = "synthetic-bigram-chatml-128k";

/** The environment of a `wren` whose default model is {@link chat128k} (16k context), with its home at `root/home`. */
export function localModelEnv(root: string): Record<string, string> {
  return { WREN_HOME: path.join(root, "home"), WREN_MODELS_DEFAULT: chat128k, WREN_ENGINE_CONTEXT_SIZE: "16384" };
}
