import { stat } from "node:fs/promises";
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
  const files = [modelPath, ...lora.map((adapter) => adapter.path)];
  const key = JSON.stringify(files);
  const identity = await identityOf(files);
  const known = passed.get(key);
  if (known && identity !== undefined && known.identity === identity) return known.summary;
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
  if (identity !== undefined) {
    passed.delete(key);
    passed.set(key, { identity, summary });
    for (const oldest of passed.keys()) {
      if (passed.size <= KEPT) break;
      passed.delete(oldest);
    }
  }
  return summary;
}

/**
 * Files that passed, as they were then, with the model's summary: `wren run` checks its model
 * before it starts the backend and the engine again when it loads it, and a real model's header (a
 * 150,000-token vocabulary) takes 0.1-0.2 s of CPU to read. A file changed since (its size, its
 * modification time, or another file at the path) is read again.
 */
const passed = new Map<string, { identity: string; summary: GgufSummary }>();

/** Checks remembered (the most recent). */
const KEPT = 8;

/** Each file's device, inode, size and modification time; undefined when one cannot be read (the check says why). */
async function identityOf(files: readonly string[]): Promise<string | undefined> {
  try {
    const stats = await Promise.all(files.map((file) => stat(file, { bigint: true })));
    return stats.map((s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`).join("|");
  } catch {
    return undefined;
  }
}
