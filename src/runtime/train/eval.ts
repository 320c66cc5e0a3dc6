import path from "node:path";
import { loadConfig } from "../../config/index.js";
import { Engine, type AdapterSpec, type AnswerScore, type LocalModel } from "../../engine/index.js";
import { adapterMismatch, inspectLoraAdapter } from "../../models/adapter-check.js";
import type { Message } from "../../protocol/index.js";
import { resultText } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import { resolvePaths, type Env } from "../../shared/paths.js";
import { adapterNotFound, adapterRegistryPath, listAdapters, mismatchError, recordEvaluation, type AdapterEvaluation, type AdapterRecord } from "../adapters.js";
import { loadModelsContext, resolveModelForUser } from "../models.js";
import { buildRouter, decisionsFilePath } from "../router.js";
import { CLI_NO_ASK_HINT } from "../routed-run.js";
import { readEvalDataset } from "./eval-dataset.js";
import { judgeAnswers, type JudgeItem, type JudgeResult } from "./eval-judge.js";

/** Options of `wren train eval`. */
export interface EvalOptions {
  /** A registered adapter's name. Default: the adapter registered last. */
  adapter?: string;
  /** The base model (name, alias or GGUF path; never downloaded). Default: the adapter's recorded base, else `models.default`. */
  base?: string;
  /** `eval.jsonl`, or the folder holding it. Default: the one `wren train export` wrote in wren's data directory. */
  dataset?: string;
  /** False: no teacher judges, whatever the router allows. Default true. */
  judge?: boolean;
  /** Examples the teacher judges, at most. Default 20. */
  judgeExamples?: number;
  /** Output tokens of each answer the teacher judges. Default 256. */
  judgeMaxTokens?: number;
  /** `--offline`: the teacher is never called. */
  offline?: boolean;
  /** The CLI's question for `router.cloud = "ask"`; absent when nobody can answer. */
  ask?: ((target: string) => Promise<boolean>) | undefined;
  /** What the command is doing, for a progress line. */
  onStage?: (text: string) => void;
  env?: Env;
  signal?: AbortSignal;
}

/** What `wren train eval` measured and recorded. */
export interface EvalResult {
  adapter: string;
  evaluation: AdapterEvaluation;
  /** Examples left out: negative or weightless ones (a bad answer no one corrected), and ones too long for the context. */
  leftOut: { negative: number; tooLong: number };
}

function pick(list: readonly AdapterRecord[], name: string | undefined): AdapterRecord {
  if (name) {
    const found = list.find((a) => a.name === name);
    if (!found) throw adapterNotFound(name, list);
    return found;
  }
  const newest = [...list].sort((a, b) => a.addedAt.localeCompare(b.addedAt)).at(-1);
  if (!newest) throw new WrenError("bad_request", "No adapter is registered to evaluate.", { hint: "Train one with `wren train run`, or register one with `wren adapters add PATH --base MODEL`." });
  return newest;
}

/** Mean loss per token and its perplexity over scored answers. */
function summarize(scores: readonly AnswerScore[]): { loss: number; perplexity: number; tokens: number } {
  const tokens = scores.reduce((n, s) => n + s.tokens, 0);
  const loss = scores.reduce((n, s) => n + s.loss, 0) / tokens;
  return { loss, perplexity: Math.exp(loss), tokens };
}

const textOf = (message: Message | undefined): string =>
  message?.role === "assistant" ? message.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("") : "";

/**
 * `wren train eval`: the base model's and the adapter's mean token loss (and perplexity) on the
 * reference answers of the held-back slice, measured by wren's engine; then, when the router lets a
 * teacher be called, the teacher's verdict on the two models' answers. The evaluation is recorded
 * beside the adapter in the registry, where `wren adapters promote` reads it.
 */
export async function evaluateAdapter(options: EvalOptions = {}): Promise<EvalResult> {
  const env = options.env ?? process.env;
  const { config } = await loadConfig({ env });
  const registry = adapterRegistryPath(env);
  const record = pick(await listAdapters(registry), options.adapter);
  const baseRef = options.base ?? record.base ?? config.models.default;
  if (!baseRef) {
    throw new WrenError("bad_request", `Adapter '${record.name}' names no base model.`, { hint: "Pass --base MODEL with the model it was trained for." });
  }
  const resolved = await resolveModelForUser(baseRef, await loadModelsContext({ env }), { offline: true });
  const basePath = path.resolve(resolved.path);
  // A mismatched adapter aborts llama.cpp: checked before anything loads.
  const problem = await adapterMismatch(await inspectLoraAdapter(record.path), basePath);
  if (problem) throw mismatchError(record.name, baseRef, problem);
  const dataset = await readEvalDataset(options.dataset ?? path.join(resolvePaths(env).dataDir, "train", "dataset"));

  options.onStage?.(`Scoring ${dataset.examples.length} held-back answers with ${baseRef} and with '${record.name}'…`);
  // One pass over each prompt: saved prompt states would only cost disk.
  const engine = await Engine.create({ gpu: config.engine.gpu, threads: config.engine.threads, promptCache: { maxEntries: 0 } });
  let judge: JudgeResult | undefined;
  let base: AnswerScore[];
  let adapted: AnswerScore[];
  try {
    const model = await engine.loadModel(basePath, { contextSize: config.engine.contextSize, sequences: 1, batchSize: config.engine.batchSize, ...(options.signal ? { signal: options.signal } : {}) });
    const spec: AdapterSpec = { name: record.name, path: record.path, scale: record.scale };
    const call = options.signal ? { signal: options.signal } : {};
    base = await model.scoreAnswers(dataset.examples, call);
    adapted = await model.scoreAnswers(dataset.examples, { adapter: spec, ...call });
    judge = await judgeIfAllowed(model, spec, dataset.examples, base, options, config, env);
  } finally {
    await engine.dispose();
  }
  const scored = base.filter((s) => !s.skipped);
  if (scored.length === 0) {
    throw new WrenError("context_overflow", `None of the ${dataset.examples.length} held-back examples fits a ${config.engine.contextSize}-token context.`, {
      hint: "Raise engine.contextSize (e.g. --context or WREN_ENGINE_CONTEXT_SIZE), or evaluate on shorter examples.",
    });
  }
  const baseModel = summarize(scored);
  const adapter = summarize(adapted.filter((s) => !s.skipped));
  const tooLong = base.length - scored.length;
  const evaluation: AdapterEvaluation = {
    at: new Date().toISOString(),
    base: { name: baseRef, path: basePath },
    dataset: { file: dataset.file, sha256: dataset.sha256, examples: scored.length, skipped: tooLong + dataset.leftOut },
    scale: record.scale,
    tokens: baseModel.tokens,
    baseModel: { loss: baseModel.loss, perplexity: baseModel.perplexity },
    adapter: { loss: adapter.loss, perplexity: adapter.perplexity },
    ...(judge ? { judge } : {}),
  };
  await recordEvaluation(registry, record.name, evaluation);
  return { adapter: record.name, evaluation, leftOut: { negative: dataset.leftOut, tooLong } };
}

/** The teacher's verdicts, when a teacher is configured, judging is on and the router's consent allows it. */
async function judgeIfAllowed(
  model: LocalModel,
  spec: AdapterSpec,
  examples: ReadonlyArray<readonly Message[]>,
  scores: readonly AnswerScore[],
  options: EvalOptions,
  config: Awaited<ReturnType<typeof loadConfig>>["config"],
  env: Env,
): Promise<JudgeResult | undefined> {
  const teacherId = config.router.teachers[0];
  if (options.judge === false || !teacherId) return undefined;
  const built = buildRouter({
    config: { ...config.router, healthIntervalMs: 0 },
    env,
    offline: options.offline ?? false,
    ...(options.ask ? { ask: options.ask } : {}),
    noAskHint: CLI_NO_ASK_HINT,
    decisionsFile: decisionsFilePath(resolvePaths(env).stateDir),
  });
  try {
    const limit = options.judgeExamples ?? 20;
    const chosen = examples.filter((_, i) => !scores[i]?.skipped).slice(0, limit);
    options.onStage?.(`Answering ${chosen.length} held-back prompts with and without '${spec.name}' for ${teacherId} to judge…`);
    const items: JudgeItem[] = [];
    const call = options.signal ? { signal: options.signal } : {};
    for (const messages of chosen) {
      const prompt = messages.slice(0, -1);
      const request = { messages: prompt, temperature: 0, maxOutputTokens: options.judgeMaxTokens ?? 256 };
      items.push({
        prompt,
        reference: textOf(messages.at(-1)),
        base: resultText(await model.doGenerate(request, call)),
        adapter: resultText(await model.withAdapter(spec).doGenerate(request, call)),
      });
    }
    return await judgeAnswers(built.router.model(teacherId), teacherId, items, options.signal);
  } finally {
    built[Symbol.dispose]();
  }
}
