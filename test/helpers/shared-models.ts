import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `../shared/models` beside the project root: real test models (present in CI). */
export const sharedModelsDir = path.resolve(projectRoot, "..", "shared", "models");

export const sharedModels = {
  /** Real TinyStories weights, llama arch, 260K params, no chat template: use for completion. */
  stories: path.join(sharedModelsDir, "stories260K.gguf"),
  /** Deterministic ChatML chat model: any chat reply is exactly `Hello from the tiny synthetic model.` */
  chat: path.join(sharedModelsDir, "synthetic-bigram-chatml.gguf"),
  /** Rank-4 LoRA adapter for `stories`. */
  lora: path.join(sharedModelsDir, "stories260K-lora-synthetic.gguf"),
} as const;

export const CHAT_MODEL_REPLY = "Hello from the tiny synthetic model.";

/** True when `../shared/models` holds the real test models. */
export const hasSharedModels = existsSync(sharedModels.stories) && existsSync(sharedModels.chat);
