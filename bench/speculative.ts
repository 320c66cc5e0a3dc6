import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, type LocalModel } from "../src/engine/index.js";
import { userText, type ChatRequest } from "../src/protocol/index.js";
import { CHATML, type SyntheticModelOptions } from "../test/helpers/gguf-writer.js";
import { sharedModels } from "../test/helpers/shared-models.js";
import { syntheticModel } from "../test/helpers/synthetic-models.js";
import { fmt, median, report } from "./stats.js";

const ROUNDS = 3;
/** Blocks of the echo model: 24 is the 0.5 B shape; fewer for a quick look on a busy machine. */
const LAYERS = Number(process.env["WREN_BENCH_SPECULATIVE_LAYERS"] ?? 24);
/** Tokens of the scripted answer: one CJK character each, so the prompt tokenizes to the same tokens. */
const PIECES = Array.from({ length: 64 }, (_, i) => String.fromCodePoint(0x4e00 + i));
const ANSWER = PIECES.join("");

/**
 * A model that repeats its input deterministically, of the bench model's width and depth: its reply
 * is always {@link ANSWER} (the project's scripted bigram writer), so a prompt that holds the answer
 * is an edit-like request whose answer repeats its input, and one holding the same tokens shuffled
 * is not. The blocks are computed in full (their output is silenced), so a decode step costs what
 * a 0.5 B model's does.
 */
const ECHO: SyntheticModelOptions = {
  ...CHATML,
  name: "wren-bench-echo",
  reply: PIECES,
  vocabSize: 896,
  nLayer: LAYERS,
  nHead: 14,
  nHeadKv: 2,
  nFf: 4864,
  tensorType: "Q8_0",
  contextLength: 4096,
};
/** Its draft: the same vocabulary and script, one small block. */
const ECHO_DRAFT: SyntheticModelOptions = { ...ECHO, name: "wren-bench-echo-draft", nLayer: 1, nFf: 128 };

type Mode = "off" | "lookup" | "auto" | "draft";

interface Run {
  tokensPerSecond: number;
  tokens: number;
  text: string;
  accepted: number;
  rejected: number;
}

async function decode(model: LocalModel, request: ChatRequest): Promise<Run> {
  const before = model.speculativeStats();
  let first = 0;
  let text = "";
  let tokens = 0;
  for await (const part of model.doStream(request)) {
    if (part.type === "text-delta") {
      first ||= performance.now();
      text += part.delta;
    }
    if (part.type === "error") throw new Error(part.error.message);
    if (part.type === "finish") tokens = part.usage.outputTokens;
  }
  const end = performance.now();
  const after = model.speculativeStats();
  return {
    // The first token comes from the prompt's evaluation: decode speed counts the rest.
    tokensPerSecond: (tokens - 1) / ((end - first) / 1000),
    tokens,
    text,
    accepted: after.acceptedTokens - before.acceptedTokens,
    rejected: after.rejectedTokens - before.rejectedTokens,
  };
}

function shuffled(pieces: readonly string[]): string {
  const out = [...pieces];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] ?? "", out[i] ?? ""];
  }
  return out.join("");
}

/** Each mode on the same request, alternating within every round so drift hits them alike. */
async function compare(title: string, models: Partial<Record<Mode, LocalModel>>, request: ChatRequest): Promise<void> {
  const runs = new Map<Mode, Run[]>();
  const entries = Object.entries(models) as Array<[Mode, LocalModel]>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [mode, model] of round % 2 ? [...entries].reverse() : entries) {
      const list = runs.get(mode) ?? [];
      list.push(await decode(model, request));
      runs.set(mode, list);
    }
  }
  const off = runs.get("off") ?? [];
  const baseline = median(off.map((r) => r.tokensPerSecond));
  console.log(`  ${title}`);
  for (const [mode, list] of runs) {
    const same = list.every((r) => r.text === off[0]?.text);
    const tps = median(list.map((r) => r.tokensPerSecond));
    const ratios = list.map((r, i) => r.tokensPerSecond / (off[i]?.tokensPerSecond ?? Number.NaN));
    const accepted = list.reduce((s, r) => s + r.accepted, 0) / list.length;
    const rejected = list.reduce((s, r) => s + r.rejected, 0) / list.length;
    const tokens = list.reduce((s, r) => s + r.tokens, 0) / list.length;
    // Timing-free cost figures: decode steps (each one sampled token plus the accepted ones) and
    // tokens evaluated (the answer's plus the rejected guesses), per answer token.
    const work = `steps ${fmt((tokens - accepted) / tokens, 2)}, evaluated ${fmt((tokens + rejected) / tokens, 2)} per token`;
    const detail = mode === "off" ? "" : `x${fmt(tps / baseline, 2)} (rounds ${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}), accepted ${fmt(accepted, 0)} / rejected ${fmt(rejected, 0)} per answer, ${work}${same ? "" : ", TEXT DIFFERS"}`;
    report(`    ${mode}`, `${fmt(tps)} tok/s`, detail);
  }
}

/**
 * Speculative decoding: decode tokens/s without prediction, with prompt lookup (always, and `auto`
 * with its back-off) and with a draft model, on an answer that repeats its input and on answers that
 * do not (the same model with the input shuffled, and stories260K's free text), in one run, as
 * ratios to no prediction, with the predicted tokens accepted and rejected per answer. Every
 * answer's text must equal the answer without prediction (greedy), or the line says it differs.
 */
export async function benchSpeculative(): Promise<void> {
  const threads = os.availableParallelism();
  const echo = await syntheticModel(ECHO);
  const draft = await syntheticModel(ECHO_DRAFT);
  console.log(`speculative decoding: ${threads} threads, CPU, ${ROUNDS} rounds; echo model ${path.basename(echo)} (${LAYERS} blocks of the 0.5B shape), stories260K`);
  const engine = await Engine.create({ gpu: "cpu", threads });
  try {
    const load = (file: string, mode: Mode): Promise<LocalModel> =>
      engine.loadModel(file, { id: `${path.basename(file)}-${mode}`, contextSize: 1024, sequences: 1, ...(mode === "draft" ? { draft } : { speculative: mode }) });
    const echoModels = { off: await load(echo, "off"), lookup: await load(echo, "lookup"), auto: await load(echo, "auto"), draft: await load(echo, "draft") };
    const ask = (content: string): ChatRequest => ({ messages: [userText(content)], temperature: 0, maxOutputTokens: PIECES.length + 1 });
    await compare("answer repeats its input (echo model, the file in the prompt)", echoModels, ask(`Rewrite this file without changes:\n${ANSWER}\n`));
    await compare("answer does not repeat its input (echo model, the same tokens shuffled)", { off: echoModels.off, lookup: echoModels.lookup, auto: echoModels.auto }, ask(`Here are some characters:\n${shuffled(PIECES)}\n`));
    for (const model of Object.values(echoModels)) await model.dispose();
    const stories = { off: await load(sharedModels.stories, "off"), lookup: await load(sharedModels.stories, "lookup"), auto: await load(sharedModels.stories, "auto") };
    const story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends.";
    await compare("free text (stories260K, a story prompt)", stories, { messages: [], rawPrompt: story, temperature: 0, maxOutputTokens: 120 });
  } finally {
    await engine.dispose();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchSpeculative();
}
