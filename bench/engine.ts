import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama, LlamaCompletion } from "node-llama-cpp";
import { Engine } from "../src/engine/index.js";
import { makeBenchModel } from "./make-model.js";
import { fmt, median, report } from "./stats.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PROMPT_WORDS = "The quick brown fox jumps over the lazy dog while the cat watches from the old wooden fence near the river bank.";
const DECODE_TOKENS = 48;
const ROUNDS = 3;

interface Sample {
  promptTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

/**
 * Engine speed versus node-llama-cpp called directly, on the same file, threads and context:
 * prompt processing and decode tokens/s, alternating the two so drift hits both alike. Then the
 * cold start of `wren --version`.
 */
export async function benchEngine(): Promise<void> {
  const modelPath = process.env["WREN_BENCH_MODEL"] ?? (await makeBenchModel());
  const threads = os.availableParallelism();
  console.log(`engine: ${path.basename(modelPath)}, ${threads} threads, CPU`);
  const prompt = Array.from({ length: 4 }, () => PROMPT_WORDS).join(" ");

  const llama = await getLlama({ gpu: false, maxThreads: threads, build: "never" });
  const rawModel = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const rawContext = await rawModel.createContext({ contextSize: 1024, threads });
  const promptTokens = rawModel.tokenize(prompt).length;

  const engine = await Engine.create({ gpu: "cpu", threads });
  const model = await engine.loadModel(modelPath, { contextSize: 1024, sequences: 1 });

  const raw: Sample[] = [];
  const wren: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Raw node-llama-cpp: the sequence is cleared so the prompt is evaluated every time.
    {
      const sequence = rawContext.getSequence();
      const completion = new LlamaCompletion({ contextSequence: sequence });
      const start = performance.now();
      let first = 0;
      let tokens = 0;
      await completion.generateCompletion(prompt, {
        maxTokens: DECODE_TOKENS,
        temperature: 0,
        onToken: (t) => {
          if (!first) first = performance.now();
          tokens += t.length;
        },
      });
      const end = performance.now();
      completion.dispose();
      await sequence.dispose();
      raw.push({ promptTokensPerSecond: promptTokens / ((first - start) / 1000), decodeTokensPerSecond: (tokens - 1) / ((end - first) / 1000) });
    }
    {
      // A fresh prompt per round (a leading round number) so no KV prefix is reused.
      const start = performance.now();
      let first = 0;
      let tokens = 0;
      for await (const part of model.doStream({ messages: [], rawPrompt: `${round} ${prompt}`, temperature: 0, maxOutputTokens: DECODE_TOKENS })) {
        if (part.type === "text-delta" && !first) first = performance.now();
        if (part.type === "finish") tokens = part.usage.outputTokens;
      }
      const end = performance.now();
      wren.push({ promptTokensPerSecond: promptTokens / ((first - start) / 1000), decodeTokensPerSecond: (tokens - 1) / ((end - first) / 1000) });
    }
  }
  await engine.dispose();
  await rawContext.dispose();
  await rawModel.dispose();
  await llama.dispose();

  const rawDecode = median(raw.map((s) => s.decodeTokensPerSecond));
  const wrenDecode = median(wren.map((s) => s.decodeTokensPerSecond));
  const rawPrompt = median(raw.map((s) => s.promptTokensPerSecond));
  const wrenPrompt = median(wren.map((s) => s.promptTokensPerSecond));
  report(`prompt tokens/s (${promptTokens}-token prompt), wren`, fmt(wrenPrompt));
  report("prompt tokens/s, node-llama-cpp directly", fmt(rawPrompt));
  report("prompt ratio wren / direct", fmt(wrenPrompt / rawPrompt, 3));
  report(`decode tokens/s (${DECODE_TOKENS} tokens), wren`, fmt(wrenDecode));
  report("decode tokens/s, node-llama-cpp directly", fmt(rawDecode));
  report("decode ratio wren / direct", fmt(wrenDecode / rawDecode, 3));

  const cli = path.join(root, "dist", "bin", "cli.js");
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [cli, "--version"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`wren --version failed: ${r.stderr}`);
    times.push(performance.now() - start);
  }
  report("`wren --version` cold start (median of 7)", fmt(median(times), 0), "ms");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchEngine();
}
