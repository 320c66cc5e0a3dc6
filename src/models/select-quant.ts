import { WrenError } from "../shared/errors.js";
import { quantOfFileName, splitInfo } from "./ref.js";

/** The quantisation picked when a reference names none: a good balance of size and quality. */
export const DEFAULT_QUANTS = ["Q4_K_M", "Q4_K_S", "Q5_K_M", "Q8_0", "Q4_0"] as const;

/** Whether a repository file is a model to pull: a GGUF, not a projector or imatrix, the first part of a split one. */
export function isModelFile(file: string): boolean {
  const lower = file.toLowerCase();
  if (!lower.endsWith(".gguf")) return false;
  // Projectors and imatrix files sit beside the weights but are not models.
  if (/(^|\/)(mmproj|imatrix)[^/]*$/i.test(lower)) return false;
  const split = splitInfo(file);
  return !split || split.part === 1;
}

/**
 * Picks the GGUF file for a quantisation from a repository's file list. With no quantisation named,
 * the only file, else the first of {@link DEFAULT_QUANTS} present. Errors list what is available.
 */
export function selectQuantFile(repo: string, files: readonly string[], quant: string | undefined): { file: string; quant: string | undefined } {
  const models = files.filter(isModelFile);
  const byQuant = new Map<string, string>();
  for (const file of models) {
    const q = quantOfFileName(file);
    if (q && !byQuant.has(q)) byQuant.set(q, file);
  }
  const available = [...byQuant.keys()].sort();
  if (models.length === 0) {
    throw new WrenError("model_not_found", `${repo} has no GGUF files.`, {
      hint: "wren runs GGUF models: look for a repository with -GGUF in its name.",
    });
  }
  if (quant) {
    const file = byQuant.get(quant.toUpperCase());
    if (file) return { file, quant: quant.toUpperCase() };
    throw new WrenError("model_not_found", `${repo} has no ${quant.toUpperCase()} file. Available: ${available.join(", ") || "(none named by quantisation)"}.`, {
      hint: available[0] ? `Pick one, e.g. \`wren pull hf:${repo}:${available[0]}\`.` : `Name the file: \`wren pull hf:${repo}/${models[0] ?? "file.gguf"}\`.`,
    });
  }
  const only = models.length === 1 ? models[0] : undefined;
  if (only) return { file: only, quant: quantOfFileName(only) };
  for (const q of DEFAULT_QUANTS) {
    const file = byQuant.get(q);
    if (file) return { file, quant: q };
  }
  throw new WrenError("bad_request", `${repo} has several GGUF files; say which quantisation. Available: ${available.join(", ")}.`, {
    hint: `E.g. \`wren pull hf:${repo}:${available[0] ?? "Q4_K_M"}\`.`,
  });
}
