import path from "node:path";
import { WrenError } from "../../shared/errors.js";
import { assertContextSupported, assertFits, checkFit, memoryBudget } from "../../models/fit.js";
import { inspectGgufFile } from "../../models/gguf-check.js";
import { freeVramBytes } from "../../models/hardware.js";
import { formatBytes, parseBytes, resolveModelRef, type ResolvedModel } from "../../models/index.js";
import { loadModelsContext } from "../../runtime/models.js";
import type { InfoFlags } from "./models.js";
import { visibleText } from "../../shared/visible-text.js";

function parseContext(text: string | undefined, trained: number): number {
  if (text === undefined) return Math.min(trained, 4096);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new WrenError("bad_request", `--context must be a positive whole number of tokens, not "${text}".`, { hint: "E.g. --context 4096." });
  }
  // Every load takes at most the training context (see chooseContextSize): judged as it would load.
  return trained > 0 ? Math.min(value, trained) : value;
}

/** 260K, 1.5B, 7.6B: parameter counts as model cards write them. */
function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}K`;
  return String(n);
}

function templateSummary(template: string | undefined): string {
  if (!template) return "none (wren falls back to a generic chat format)";
  const first = template.replace(/\s+/g, " ").trim();
  return `${first.length > 60 ? `${first.slice(0, 60)}…` : first} (${template.length} chars)`;
}

/**
 * The name the user knows the model by: the alias they typed; a file's name without `.gguf` (what
 * `wren serve --model FILE` serves it as); else the name `wren models list` lists it under.
 */
function knownName(resolved: ResolvedModel, alias: string | undefined): string {
  if (alias !== undefined) return alias;
  return resolved.source === "path" ? path.basename(resolved.path).replace(/\.gguf$/i, "") : resolved.ref;
}

/** `models info` (describe; `fit` = true: also fail when it does not fit). */
export async function runInfo(ref: string, flags: InfoFlags, fitOnly: boolean): Promise<void> {
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  const alias = Object.hasOwn(context.aliases, ref) ? ref : undefined;
  const resolved = await resolveModelRef(context.aliases[ref] ?? ref, { modelsDir: context.modelsDir, env: context.env, offline: true, neverDownloads: true });
  const name = knownName(resolved, alias);
  const summary = await inspectGgufFile(resolved.path);
  const contextSize = parseContext(flags.context, summary.contextLength);
  const limitBytes = flags.memoryLimit === undefined ? undefined : parseBytes(flags.memoryLimit);
  // Past the training context nothing fits, whatever the memory: refused before the VRAM probe starts llama.cpp.
  if (fitOnly && flags.context !== undefined) assertContextSupported(Number(flags.context), summary.contextLength, resolved.ref);
  const budget = memoryBudget(limitBytes === undefined ? { freeVramBytes: await freeVramBytes() } : { limitBytes });
  const fit = checkFit(summary, contextSize, budget);
  if (fitOnly) {
    assertFits(fit, resolved.ref);
    process.stdout.write(
      `${resolved.ref} fits: about ${formatBytes(fit.estimate.totalBytes)} at a context of ${contextSize} tokens, ${budget.description} available (largest context that fits: ${Math.min(fit.maxContext, summary.contextLength || fit.maxContext)}).\n`,
    );
    return;
  }
  if (flags.json) {
    // `name` is the text's Model line; the file's own general.name is only ever `nameInFile`.
    const { metadata: _metadata, name: inFile, ...rest } = summary;
    const head = { name, ...(alias === undefined ? {} : { alias }), ref: resolved.ref, source: resolved.source, nameInFile: inFile ?? null };
    process.stdout.write(`${JSON.stringify({ ...head, ...rest, contextSize, memory: fit.estimate, fits: fit.fits, maxContext: fit.maxContext, budget }, null, 2)}\n`);
    return;
  }
  const e = fit.estimate;
  // The name wren knows the model by comes first; the file's own general.name (often the base
  // model's, or a converter's) only as a labelled extra, where it says something else.
  const nameInFile = summary.name !== undefined && summary.name.trim() !== "" && summary.name !== name ? summary.name : undefined;
  const rows: [string, string][] = [
    ["Model", `${name} (${alias === undefined ? "" : `alias of ${resolved.ref}, `}${resolved.source})`],
    ...(nameInFile === undefined ? [] : [["Name in file", nameInFile] as [string, string]]),
    ["File", resolved.path],
    ["Architecture", summary.architecture],
    ["Parameters", `${formatCount(summary.parameterCount)} (${summary.parameterCount})`],
    ["Context length", String(summary.contextLength)],
    ["Quantisation", summary.fileType ?? "unknown"],
    ["Tensors", String(summary.tensorCount)],
    ["Layers", `${summary.blockCount}, embedding ${summary.embeddingLength}, heads ${summary.headCount} (KV ${summary.headCountKv})`],
    ["Vocabulary", `${summary.vocabSize} tokens (${summary.tokenizerModel ?? "?"})`],
    ["Chat template", templateSummary(summary.chatTemplate)],
    ["Size on disk", formatBytes(summary.fileSize)],
    [
      `Memory at ${contextSize} ctx`,
      `${formatBytes(e.totalBytes)} (weights ${formatBytes(e.weightsBytes)}, KV cache ${formatBytes(e.kvCacheBytes)}, compute ${formatBytes(e.computeBytes)})`,
    ],
    [
      "Fits",
      fit.fits
        ? `yes, in ${budget.description}`
        : `no: ${budget.description} available; the largest context that fits is ${fit.maxContext} tokens`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  // The file's header wrote its name, architecture and tokenizer: shown as text, never as terminal instructions.
  process.stdout.write(rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${visibleText(v, { oneLine: true })}`).join("\n") + "\n");
}
