import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, type LocalModel } from "../src/engine/index.js";
import { makeBenchModel } from "./make-model.js";
import { fmt, median, report } from "./stats.js";

const CONVERSATIONS = 8;
const SEQUENCES = 4;
const ROUNDS = Number(process.env["WREN_BENCH_REUSE_ROUNDS"] ?? 3);
/**
 * Words of each opening: about 400 tokens on the bench model (its synthetic vocabulary takes about
 * 5 tokens a word), so the opening and its follow-up fit the 1,024-token context whole.
 */
const OPENING_WORDS = Number(process.env["WREN_BENCH_REUSE_WORDS"] ?? 75);
const WORDS = ["river", "fence", "fox", "lantern", "harbour", "meadow", "copper", "willow", "thunder", "pebble", "orchard", "falcon", "glacier", "saddle", "quartz", "ember"];

/** An opening of about 400 tokens that differs from every other one from its first word. */
function opening(round: number, conversation: number): string {
  let seed = round * 97 + conversation * 13 + 1;
  const words: string[] = [`Conversation ${round}.${conversation}:`];
  for (let i = 0; i < OPENING_WORDS; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    words.push(WORDS[seed % WORDS.length] ?? "fox");
  }
  return `${words.join(" ")}\nUser: tell me about the ${WORDS[conversation % WORDS.length] ?? "fox"}.\nAssistant:`;
}

interface Turn {
  text: string;
  ttftMs: number;
  cached: number;
  restored: number;
}

async function turn(model: LocalModel, prompt: string, maxOutputTokens: number): Promise<Turn> {
  let text = "";
  for await (const part of model.doStream({ messages: [], rawPrompt: prompt, temperature: 0, maxOutputTokens })) {
    if (part.type === "text-delta") text += part.delta;
    if (part.type === "error") throw new Error(part.error.message);
    if (part.type === "finish") {
      // A prompt cut to fit the context keeps its latest text: its start, the prefix reuse keeps, is gone.
      if (part.usage.inputTruncated) throw new Error(`a prompt of ${part.usage.inputTokens} tokens does not fit the context: lower WREN_BENCH_REUSE_WORDS`);
      return { text, ttftMs: part.timings?.timeToFirstTokenMs ?? Number.NaN, cached: part.usage.cachedInputTokens ?? 0, restored: part.usage.restoredInputTokens ?? 0 };
    }
  }
  throw new Error("the stream ended without a finish");
}

function followUp(prompt: string, reply: string, conversation: number): string {
  return `${prompt}${reply}\nUser: and what about the ${WORDS[(conversation + 5) % WORDS.length] ?? "fence"} by it?\nAssistant:`;
}

/** Starts every conversation, then continues each one: the follow-ups' turns. */
async function interleaved(model: LocalModel, round: number): Promise<Turn[]> {
  const prompts = Array.from({ length: CONVERSATIONS }, (_, i) => opening(round, i));
  const replies: string[] = [];
  for (const prompt of prompts) replies.push((await turn(model, prompt, 8)).text);
  const turns: Turn[] = [];
  for (const [i, prompt] of prompts.entries()) turns.push(await turn(model, followUp(prompt, replies[i] ?? "", i), 2));
  return turns;
}

/** One conversation alone: its follow-up finds its prefix in the sequence it used. */
async function alone(model: LocalModel, round: number): Promise<Turn> {
  const prompt = opening(round, 100);
  const reply = (await turn(model, prompt, 8)).text;
  return turn(model, followUp(prompt, reply, 100), 2);
}

/** The verdict of one acceptance figure. */
function verdict(pass: boolean): string {
  return pass ? "PASS" : "MISS";
}

/**
 * Prompt reuse across conversations (the acceptance of issue 14): 8 conversations on 4 sequences,
 * each continued after all were started; the median time to first token of their follow-ups must
 * be within 1.1x of one conversation's follow-up alone, and at least 3x faster than the same
 * workload with reuse off (a prefix reused only when the sequence freed last happens to hold it).
 * Reuse on is the default: saved prompt states (`engine.promptCache`, 64 states in at most 1 GiB
 * per model), so half the conversations, pushed out of every sequence, come back from them. The same
 * workload with reuse on and no saved states (`entries = 0`) is shown beside it. All alternate in
 * each round so drift hits them alike.
 */
export async function benchPromptReuse(): Promise<void> {
  const modelPath = process.env["WREN_BENCH_MODEL"] ?? (await makeBenchModel());
  // WREN_BENCH_THREADS: fewer threads than cores on a machine other work keeps busy (oversubscribed
  // compute threads wait on each other at every operation).
  const threads = Number(process.env["WREN_BENCH_THREADS"] ?? os.availableParallelism());
  console.log(`prompt reuse: ${path.basename(modelPath)}, ${threads} threads, CPU, ${CONVERSATIONS} conversations on ${SEQUENCES} sequences`);
  const engine = await Engine.create({ gpu: "cpu", threads });
  try {
    // Speculative decoding off: this measures the prompt's evaluation, not the answer's.
    const common = { contextSize: 1024, sequences: SEQUENCES, speculative: "off" } as const;
    // Reuse on as configured by default: saved prompt states on, 64 of them in at most 1 GiB.
    const on = await engine.loadModel(modelPath, { id: "reuse-on", ...common });
    const unsaved = await engine.loadModel(modelPath, { id: "reuse-on-no-states", ...common, promptCache: { maxEntries: 0 } });
    const off = await engine.loadModel(modelPath, { id: "reuse-off", ...common, promptCache: { reuse: false } });
    const single: number[] = [];
    const withReuse: Turn[] = [];
    const withoutStates: Turn[] = [];
    const without: Turn[] = [];
    const ratios: Array<{ vsAlone: number; vsOff: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await alone(on, round);
      const r = await interleaved(on, round);
      const u = await interleaved(unsaved, round);
      const o = await interleaved(off, round);
      single.push(a.ttftMs);
      withReuse.push(...r);
      withoutStates.push(...u);
      without.push(...o);
      const reuseMs = median(r.map((t) => t.ttftMs));
      ratios.push({ vsAlone: reuseMs / a.ttftMs, vsOff: median(o.map((t) => t.ttftMs)) / reuseMs });
      const ms = (turns: Turn[]): string => turns.map((t) => fmt(t.ttftMs, 0)).join(" ");
      console.log(`  round ${round + 1}: alone ${fmt(a.ttftMs, 0)} ms; reuse on ${ms(r)}; no saved states ${ms(u)}; reuse off ${ms(o)}`);
    }
    const aloneMs = median(single);
    const reuseMs = median(withReuse.map((t) => t.ttftMs));
    const unsavedMs = median(withoutStates.map((t) => t.ttftMs));
    const offMs = median(without.map((t) => t.ttftMs));
    const spread = (values: number[]): string => `${fmt(Math.min(...values), 2)}–${fmt(Math.max(...values), 2)}`;
    report("follow-up time to first token, one conversation alone", fmt(aloneMs), "ms");
    report("follow-up time to first token, interleaved, reuse on", fmt(reuseMs), "ms");
    report("  reuse on without saved states (entries = 0)", fmt(unsavedMs), "ms");
    report("follow-up time to first token, interleaved, reuse off", fmt(offMs), "ms");
    const vsAlone = reuseMs / aloneMs;
    const vsOff = offMs / reuseMs;
    report("ratio interleaved reuse on / alone (target ≤ 1.1)", `${fmt(vsAlone, 2)}x ${verdict(vsAlone <= 1.1)}`, `(rounds ${spread(ratios.map((r) => r.vsAlone))})`);
    report("ratio reuse off / reuse on (target ≥ 3)", `${fmt(vsOff, 2)}x ${verdict(vsOff >= 3)}`, `(rounds ${spread(ratios.map((r) => r.vsOff))})`);
    report("  without saved states: on / alone, off / on", `${fmt(unsavedMs / aloneMs, 2)}x, ${fmt(offMs / unsavedMs, 2)}x`);
    report("cached prompt tokens per follow-up, reuse on", fmt(median(withReuse.map((t) => t.cached)), 0));
    report("  of which restored from saved states", fmt(median(withReuse.map((t) => t.restored)), 0));
    report("cached prompt tokens per follow-up, no saved states", fmt(median(withoutStates.map((t) => t.cached)), 0));
    report("cached prompt tokens per follow-up, reuse off", fmt(median(without.map((t) => t.cached)), 0));
    const stats = on.promptStats();
    report("saved prompt states held (reuse on)", `${stats.savedStates}`, `(${fmt(stats.savedBytes / 1024 ** 2)} MB)`);
    if (stats.savedStates > 0) report("  bytes per saved state (mean)", fmt(stats.savedBytes / stats.savedStates / 1024, 0), "KiB");
  } finally {
    await engine.dispose();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchPromptReuse();
}
