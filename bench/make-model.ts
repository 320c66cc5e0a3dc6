import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SyntheticModelOptions } from "../test/helpers/gguf-writer.js";
import { syntheticModel } from "../test/helpers/synthetic-models.js";

/**
 * A Qwen2.5-0.5B-shaped model in llama architecture, Q8_0, random weights: 24 blocks, 896 wide,
 * 14 heads with 2 KV heads, feed-forward 4864. The vocabulary is 32,000 (Qwen's is 151,936) to keep
 * the file near 0.44 GB; decode speed is dominated by the blocks, so it stands in for the real model
 * in speed comparisons (wren's engine versus node-llama-cpp called directly, on the same file).
 */
export const BENCH_MODEL_OPTIONS: SyntheticModelOptions = {
  seed: 0,
  name: "wren-bench-qwen2.5-0.5b-shape",
  tensorType: "Q8_0",
  nEmbd: 896,
  nLayer: 24,
  nHead: 14,
  nHeadKv: 2,
  nFf: 4864,
  contextLength: 32768,
  vocabSize: 32000,
};

/**
 * The path of the benchmark model, generated on first use (about 10 s, a few MB of memory) and then
 * cached in the OS temp folder.
 */
export async function makeBenchModel(): Promise<string> {
  return syntheticModel(BENCH_MODEL_OPTIONS);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await makeBenchModel());
}
