/**
 * Child-process script for tests: checks a GGUF header with `inspectGgufFile`, then loads the model
 * with node-llama-cpp, as the engine does. Prints `refused <code>: <line>`, or `loaded`. With
 * `--no-check` it skips the check, to show what llama.cpp does with the file on its own.
 *
 * Usage: node --import tsx test/helpers/load-after-check.ts <model.gguf> [--no-check]
 */
import os from "node:os";
import { inspectGgufFile } from "../../src/models/gguf-check.js";
import { isWrenError } from "../../src/shared/errors.js";

const [modelPath, flag] = process.argv.slice(2);
if (!modelPath) throw new Error("usage: load-after-check.ts <model.gguf> [--no-check]");
try {
  if (flag !== "--no-check") await inspectGgufFile(modelPath);
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, maxThreads: os.availableParallelism(), build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  console.log("loaded");
  await model.dispose();
} catch (error) {
  if (!isWrenError(error)) throw error;
  console.log(`refused ${error.code}: ${error.toLine()}`);
}
