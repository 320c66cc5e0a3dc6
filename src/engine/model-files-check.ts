import path from "node:path";
import { adapterMismatch, inspectLoraAdapter } from "../models/adapter-check.js";
import { inspectGgufFile, type GgufSummary } from "../models/gguf-check.js";
import { WrenError } from "../shared/errors.js";

/**
 * The checks a model's files pass before llama.cpp sees them: the GGUF header (a malformed file
 * aborts llama.cpp itself), then each LoRA adapter against the model (one that is no adapter, or
 * one made for another model, fails inside llama.cpp as if the context did not fit, or aborts it).
 * They need no backend: a caller makes them before it starts one, which on Linux costs about 2 s of
 * CPU (node-llama-cpp tests its prebuilt binary in a child process).
 */
export async function checkModelFiles(modelPath: string, lora: ReadonlyArray<{ path: string }> = [], id?: string): Promise<GgufSummary> {
  const summary = await inspectGgufFile(modelPath);
  const name = id ?? path.basename(modelPath).replace(/\.gguf$/i, "");
  for (const adapter of lora) {
    const problem = await adapterMismatch(await inspectLoraAdapter(adapter.path), modelPath);
    if (problem) {
      throw new WrenError("model_invalid", `The LoRA adapter ${adapter.path} does not fit ${name}: ${problem}.`, {
        hint: "Use an adapter trained for this model (its base model), or leave it out.",
      });
    }
  }
  return summary;
}
