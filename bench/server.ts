import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type RunningServer } from "../src/runtime/serve.js";
import type { LocalModel } from "../src/engine/index.js";
import { makeBenchModel } from "./make-model.js";
import { fmt, median, report } from "./stats.js";

const PROMPT = "The quick brown fox jumps over the lazy dog while the cat watches from the old wooden fence.";
const DECODE_TOKENS = 64;
const ROUNDS = 3;

interface Run {
  ttftMs: number;
  /** Tokens after the first, per second after the first. */
  decodeTokensPerSecond: number;
  outputTokens: number;
  endMs: number;
}

/** One streamed completion straight from the engine. */
async function rawRun(model: LocalModel, prompt: string): Promise<Run> {
  const start = performance.now();
  let first = 0;
  let tokens = 0;
  for await (const part of model.doStream({ messages: [], rawPrompt: prompt, temperature: 0, maxOutputTokens: DECODE_TOKENS })) {
    if (part.type === "text-delta" && !first) first = performance.now();
    if (part.type === "finish") tokens = part.usage.outputTokens;
  }
  const end = performance.now();
  return { ttftMs: first - start, decodeTokensPerSecond: (tokens - 1) / ((end - first) / 1000), outputTokens: tokens, endMs: end };
}

/** One streamed completion through the server over HTTP (SSE), as a client sees it. */
async function serverRun(server: RunningServer, model: string, prompt: string): Promise<Run> {
  const start = performance.now();
  const res = await fetch(`${server.url}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, prompt, max_tokens: DECODE_TOKENS, temperature: 0, stream: true, stream_options: { include_usage: true } }),
  });
  if (!res.ok || !res.body) throw new Error(`server answered ${res.status}: ${await res.text()}`);
  let first = 0;
  let tokens = 0;
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const bytes of res.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = event.startsWith("data: ") ? event.slice(6) : "";
      if (!data || data === "[DONE]") continue;
      const chunk = JSON.parse(data) as { choices: Array<{ text: string }>; usage?: { completion_tokens: number } };
      if (!first && chunk.choices[0]?.text) first = performance.now();
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
  }
  const end = performance.now();
  return { ttftMs: first - start, decodeTokensPerSecond: (tokens - 1) / ((end - first) / 1000), outputTokens: tokens, endMs: end };
}

/** Aggregate tokens/s of `n` concurrent streams: all generated tokens over the wall time. */
async function aggregate(server: RunningServer, model: string, n: number, round: number): Promise<number> {
  const start = performance.now();
  const runs = await Promise.all(Array.from({ length: n }, (_, i) => serverRun(server, model, `${round}.${i} ${PROMPT}`)));
  const end = Math.max(...runs.map((r) => r.endMs));
  if (process.env["WREN_BENCH_DEBUG"]) console.log(n, runs.map((r) => [r.outputTokens, Math.round(r.ttftMs), Math.round(r.endMs - start)]));
  return runs.reduce((sum, r) => sum + r.outputTokens, 0) / ((end - start) / 1000);
}

/**
 * The server's cost over the raw engine on the same loaded model (decode tokens/s ratio, time to
 * first token overhead), and aggregate tokens/s with 1, 2 and 4 concurrent streams.
 */
export async function benchServer(): Promise<void> {
  const modelPath = process.env["WREN_BENCH_MODEL"] ?? (await makeBenchModel());
  // Two threads is the reference setting (ENGINE-NOTES.md); WREN_BENCH_THREADS overrides it on a busy machine.
  const threads = Math.min(Number(process.env["WREN_BENCH_THREADS"] ?? 2), os.availableParallelism());
  console.log(`server: ${path.basename(modelPath)}, ${threads} threads, CPU, 4 sequences`);
  const server = await startServer({ models: [{ path: modelPath, id: "bench", contextSize: 1024, sequences: 4 }], port: 0, gpu: "cpu", threads, preload: true });
  try {
    // A server with a local model always has an engine (only proxy-only serving has none).
    const model = server.engine?.models[0];
    if (!model) throw new Error("The bench server loaded no model.");
    await rawRun(model, `warm ${PROMPT}`);
    await serverRun(server, "bench", `warm ${PROMPT}`);
    const raw: Run[] = [];
    const http: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(await rawRun(model, `r${round} ${PROMPT}`));
      http.push(await serverRun(server, "bench", `s${round} ${PROMPT}`));
    }
    const rawDecode = median(raw.map((r) => r.decodeTokensPerSecond));
    const httpDecode = median(http.map((r) => r.decodeTokensPerSecond));
    report(`decode tokens/s (${DECODE_TOKENS} tokens), engine directly`, fmt(rawDecode));
    report("decode tokens/s, through the server (SSE)", fmt(httpDecode));
    report("decode ratio server / engine", fmt(httpDecode / rawDecode, 3));
    report("time to first token, engine directly", fmt(median(raw.map((r) => r.ttftMs)), 0), "ms");
    report("time to first token overhead of the server", fmt(median(http.map((r) => r.ttftMs)) - median(raw.map((r) => r.ttftMs)), 1), "ms");

    const rates = new Map<number, number>();
    for (const n of [1, 2, 4]) {
      const samples: number[] = [];
      for (let round = 0; round < ROUNDS; round++) samples.push(await aggregate(server, "bench", n, round));
      rates.set(n, median(samples));
      report(`aggregate tokens/s, ${n} concurrent stream${n > 1 ? "s" : ""}`, fmt(median(samples)));
    }
    report("4 streams / 1 stream (target >= 1.3)", fmt(rates.get(4)! / rates.get(1)!, 2), "x");
  } finally {
    await server.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchServer();
}
