import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { withFileLock } from "../models/file-lock.js";
import { adapterMismatch, inspectLoraAdapter } from "../models/adapter-check.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths, type Env } from "../shared/paths.js";

/** A registered LoRA adapter. */
export interface AdapterRecord {
  name: string;
  /** Absolute path of the GGUF LoRA adapter file. */
  path: string;
  /** The base model it belongs to (a model name or file), from `--base` or the adapter's metadata. */
  base?: string | undefined;
  /** Architecture the adapter adapts (`llama`, `qwen2`, ...). */
  architecture: string;
  /** Scale used when a request names no scale. Default 1. */
  scale: number;
  addedAt: string;
  /** The last `wren train eval` of this adapter. */
  evaluation?: AdapterEvaluation | undefined;
  /** Set by `wren adapters promote`: the base model whose requests get this adapter when they name none. */
  defaultFor?: { name: string; path: string } | undefined;
}

const lossSchema = z.object({
  /** Mean negative log-probability per reference-answer token, in nats. */
  loss: z.number(),
  /** exp(loss). */
  perplexity: z.number(),
});
const evaluationSchema = z.object({
  at: z.string(),
  base: z.object({ name: z.string(), path: z.string() }),
  dataset: z.object({ file: z.string(), sha256: z.string(), examples: z.number(), skipped: z.number() }),
  scale: z.number(),
  /** Reference-answer tokens scored. */
  tokens: z.number(),
  baseModel: lossSchema,
  adapter: lossSchema,
  judge: z
    .object({
      teacher: z.string(),
      judged: z.number().optional(),
      adapterWins: z.number().optional(),
      baseWins: z.number().optional(),
      ties: z.number().optional(),
      /** Why the teacher did not judge (cloud use off, declined, failed). */
      skipped: z.string().optional(),
    })
    .optional(),
});
/** What `wren train eval` records beside an adapter: base and adapter losses on one held-back slice. */
export type AdapterEvaluation = z.infer<typeof evaluationSchema>;

const recordSchema = z.object({
  name: z.string(),
  path: z.string(),
  base: z.string().optional(),
  architecture: z.string(),
  scale: z.number(),
  addedAt: z.string(),
  evaluation: evaluationSchema.optional(),
  defaultFor: z.object({ name: z.string(), path: z.string() }).optional(),
});
const fileSchema = z.object({ version: z.literal(1), adapters: z.array(recordSchema) });

/** Names clients put after `+` in a model name and in `x-wren-adapter`: no `+`, `:` or spaces. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Refuses a name clients could not put in a model name or header, or that is not one word (`..`,
 * `a/b`): a job checks it before training, not once the adapter is made.
 */
export function checkAdapterName(name: string): void {
  if (!NAME.test(name)) {
    throw new WrenError("bad_request", `'${name.slice(0, 80)}' cannot name an adapter: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit).`, {
      hint: "Pass --name with such a name.",
    });
  }
}

/** `text` made into an adapter name: other characters become `-`; the last 64 kept. */
export function adapterNameFrom(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .slice(-64)
    .replace(/^[^A-Za-z0-9]+/, "");
}

/** The registry file in wren's data directory. */
export function adapterRegistryPath(env: Env = process.env): string {
  return path.join(resolvePaths(env).dataDir, "adapters.json");
}

/** Every registered adapter; an absent registry is empty. */
export async function listAdapters(file: string): Promise<AdapterRecord[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new WrenError("config_invalid", `The adapter registry ${file} is not valid JSON.`, { cause, hint: "Fix or delete the file, then add the adapters again." });
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success) throw new WrenError("config_invalid", `The adapter registry ${file} is not in wren's format.`, { hint: "Fix or delete the file, then add the adapters again." });
  return result.data.adapters;
}

async function update(file: string, change: (list: AdapterRecord[]) => AdapterRecord[]): Promise<void> {
  await withFileLock(`${file}.lock`, async () => {
    const next = change(await listAdapters(file));
    await writeFileAtomic(file, `${JSON.stringify({ version: 1, adapters: next }, null, 2)}\n`);
  });
}

/** What `wren adapters add` takes. */
export interface AddAdapterOptions {
  /** Default: the file name without `.gguf`. */
  name?: string;
  /** The base model's name and its GGUF file, when given: the adapter is checked against it now. */
  base?: { name: string; path: string };
  /** Default 1. */
  scale?: number;
}

function checkScale(scale: number): void {
  if (!Number.isFinite(scale) || scale < 0 || scale > 4) {
    throw new WrenError("bad_request", `An adapter scale must be a number from 0 to 4; got ${scale}.`, { hint: "Use e.g. 1 (as trained) or 0.5 (half strength)." });
  }
}

/**
 * Registers a GGUF LoRA adapter: checks that it is one with wren's bounded GGUF reader and, given
 * a base, that its tensors fit that base.
 */
export async function addAdapter(file: string, adapterPath: string, options: AddAdapterOptions = {}): Promise<AdapterRecord> {
  const absolute = path.resolve(adapterPath);
  const info = await inspectLoraAdapter(absolute);
  const name = options.name ?? path.basename(absolute).replace(/\.gguf$/i, "");
  checkAdapterName(name);
  const scale = options.scale ?? 1;
  checkScale(scale);
  if (options.base) {
    const problem = await adapterMismatch(info, options.base.path);
    if (problem) throw mismatchError(name, options.base.name, problem);
  }
  const record: AdapterRecord = {
    name,
    path: absolute,
    base: options.base?.name ?? info.baseName,
    architecture: info.architecture,
    scale,
    addedAt: new Date().toISOString(),
  };
  await update(file, (list) => {
    if (list.some((a) => a.name === name)) {
      throw new WrenError("bad_request", `An adapter named '${name}' is already registered.`, { hint: `Remove it first (\`wren adapters rm ${name}\`) or pass another --name.` });
    }
    return [...list, record];
  });
  return record;
}

/** Unregisters an adapter (its file stays where it is). */
export async function removeAdapter(file: string, name: string): Promise<AdapterRecord> {
  let removed: AdapterRecord | undefined;
  await update(file, (list) => {
    removed = list.find((a) => a.name === name);
    if (!removed) throw adapterNotFound(name, list);
    return list.filter((a) => a !== removed);
  });
  if (!removed) throw adapterNotFound(name, []);
  return removed;
}

/** Records an evaluation beside the adapter in the registry (replacing the previous one). */
export async function recordEvaluation(file: string, name: string, evaluation: AdapterEvaluation): Promise<AdapterRecord> {
  let updated: AdapterRecord | undefined;
  await update(file, (list) => {
    const found = list.find((a) => a.name === name);
    if (!found) throw adapterNotFound(name, list);
    updated = { ...found, evaluation };
    return list.map((a) => (a === found ? (updated as AdapterRecord) : a));
  });
  if (!updated) throw adapterNotFound(name, []);
  return updated;
}

/** The adapter promoted as the default for the base model in `basePath`, if any. */
export function defaultAdapterFor(list: readonly AdapterRecord[], basePath: string): AdapterRecord | undefined {
  const wanted = path.resolve(basePath);
  return list.find((a) => a.defaultFor && path.resolve(a.defaultFor.path) === wanted);
}

/** What `wren adapters promote` did. */
export interface PromoteResult {
  record: AdapterRecord;
  /** The adapter that was the default for this base before, if another. */
  replaced?: string | undefined;
}

/** The evaluation's numbers in words, for refusals. */
function lossText(evaluation: AdapterEvaluation): string {
  return `loss ${evaluation.adapter.loss.toFixed(4)} with the adapter, ${evaluation.baseModel.loss.toFixed(4)} without`;
}

/**
 * Makes an adapter the default for a base model's requests that name no adapter, only when its
 * recorded evaluation on that base did not get worse than the base itself, nor than the base's
 * current default on the same evaluation slice. `force` skips those checks.
 */
export async function promoteAdapter(file: string, name: string, base: { name: string; path: string }, options: { force?: boolean } = {}): Promise<PromoteResult> {
  const target = { name: base.name, path: path.resolve(base.path) };
  let result: PromoteResult | undefined;
  await update(file, (list) => {
    const record = list.find((a) => a.name === name);
    if (!record) throw adapterNotFound(name, list);
    const current = defaultAdapterFor(list, target.path);
    if (!options.force) checkPromotion(record, target, current);
    const promoted: AdapterRecord = { ...record, defaultFor: target };
    result = { record: promoted, replaced: current && current.name !== name ? current.name : undefined };
    return list.map((a) => (a === record ? promoted : a === current ? { ...a, defaultFor: undefined } : a));
  });
  if (!result) throw adapterNotFound(name, []);
  return result;
}

function checkPromotion(record: AdapterRecord, base: { name: string; path: string }, current: AdapterRecord | undefined): void {
  const name = record.name;
  const evaluation = record.evaluation;
  const force = `Pass --force to promote it anyway.`;
  if (!evaluation) {
    throw new WrenError("bad_request", `Adapter '${name}' has no recorded evaluation, so wren cannot tell whether it is better than ${base.name}.`, {
      hint: `Run \`wren train eval --adapter ${name} --base ${base.name}\` first. ${force}`,
    });
  }
  if (path.resolve(evaluation.base.path) !== base.path) {
    throw new WrenError("bad_request", `Adapter '${name}' was evaluated on ${evaluation.base.name} (${evaluation.base.path}), not on ${base.name} (${base.path}).`, {
      hint: `Run \`wren train eval --adapter ${name} --base ${base.name}\` first. ${force}`,
    });
  }
  if (evaluation.adapter.loss > evaluation.baseModel.loss) {
    throw new WrenError("bad_request", `Adapter '${name}' got worse than ${base.name} on the held-back examples: ${lossText(evaluation)} (lower is better).`, {
      hint: `Train it on more or better examples and evaluate again. ${force}`,
    });
  }
  if (!current || current.name === name) return;
  const theirs = current.evaluation;
  if (!theirs || theirs.dataset.sha256 !== evaluation.dataset.sha256 || path.resolve(theirs.base.path) !== base.path) {
    throw new WrenError("bad_request", `Adapter '${current.name}' is the default for ${base.name} now, and it has no evaluation on the same examples to compare '${name}' with.`, {
      hint: `Evaluate both on one slice (\`wren train eval --adapter ${current.name} --base ${base.name} --dataset ${evaluation.dataset.file}\`), then promote again. ${force}`,
    });
  }
  if (evaluation.adapter.loss > theirs.adapter.loss) {
    throw new WrenError("bad_request", `Adapter '${name}' is worse than '${current.name}', the default for ${base.name} now: loss ${evaluation.adapter.loss.toFixed(4)} against ${theirs.adapter.loss.toFixed(4)} on the same examples (lower is better).`, {
      hint: `Keep '${current.name}', or ${force.toLowerCase()}`,
    });
  }
}

/**
 * No adapter of that name in the registry: `not_found` (exit 1, as for any name wren keeps that is
 * not there) for the registry's own commands; a request naming one is a `bad_request` (HTTP 400).
 */
export function adapterNotFound(name: string, list: readonly AdapterRecord[], code: "not_found" | "bad_request" = "not_found"): WrenError {
  return new WrenError(code, `No adapter named '${name}' is registered.`, {
    hint: list.length > 0 ? `Use one of: ${list.map((a) => a.name).join(", ")}.` : "Register one with `wren adapters add PATH --name NAME`.",
    details: { param: "adapter" },
  });
}

export function mismatchError(name: string, base: string, problem: string): WrenError {
  return new WrenError("bad_request", `Adapter '${name}' does not fit model '${base}': ${problem}.`, {
    hint: "Use an adapter trained for this base model, or name the base it was trained for.",
    details: { param: "adapter" },
  });
}

export { checkScale as checkAdapterScale };
