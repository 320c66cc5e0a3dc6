import { open, stat } from "node:fs/promises";
import type { GgufFileInfo } from "node-llama-cpp";
import { WrenError } from "../shared/errors.js";
import type { DiscoveryOptions } from "./discovery/types.js";
import { ggmlTensorBytes } from "./ggml-types.js";
import { checkGgufHeader } from "./gguf-header-check.js";
import { flattenMetadata, summarizeGguf, type GgufSummary } from "./gguf-info.js";
import { withOwnerHint } from "./model-owner.js";

export type { GgufSummary } from "./gguf-info.js";

const REDOWNLOAD = "Download it again (`wren pull <model>`) or pass another GGUF file.";

/** Architectures without attention heads or a feed-forward block (state-space and RWKV models). */
const RECURRENT_ARCHES = new Set(["mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"]);
/** Architectures whose llama.cpp loader requires `<arch>.attention.layer_norm_rms_epsilon`. */
const RMS_NORM_ARCHES = new Set([
  "llama", "llama4", "mistral3", "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "gemma", "gemma2",
  "gemma3", "phi3", "granite", "granitemoe", "deepseek", "deepseek2", "olmo2", "internlm2", "minicpm",
  "minicpm3", "smollm3", "exaone", "exaone4",
]);

function invalid(message: string, hint: string = REDOWNLOAD, cause?: unknown): WrenError {
  return new WrenError("model_invalid", message, { hint, ...(cause === undefined ? {} : { cause }) });
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

async function statFile(path: string): Promise<number> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new WrenError("model_not_found", `Model file not found: ${path}.`, {
        hint: "Check the path, or download a model with `wren pull <model>`.",
        cause: error,
      });
    }
    throw invalid(`Cannot read model file ${path} (${code ?? String(error)}).`, "Check that the file exists and that you may read it.", error);
  }
  if (stats.isDirectory()) {
    throw invalid(`${path} is a directory, not a GGUF model file.`, "Pass the path of a .gguf file.");
  }
  if (!stats.isFile()) throw invalid(`${path} is not a regular file.`, "Pass the path of a .gguf file.");
  return stats.size;
}

async function readHead(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(Math.min(size, 256));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Throws, saying what the file most likely is, unless it starts with the GGUF magic bytes: what
 * {@link checkGgufHeader} expects its caller to have checked. `kind`: what the file should be.
 */
export async function checkGgufMagic(path: string, size: number, kind: "model" | "LoRA adapter" = "model", hint: string = REDOWNLOAD): Promise<void> {
  const head = await readHead(path, size);
  if (head.subarray(0, 4).toString("latin1") !== "GGUF") throw describeNotGguf(path, head, kind, hint);
}

/** Says what a non-GGUF file most likely is, so the user knows what went wrong. */
function describeNotGguf(path: string, head: Buffer, kind: string, hint: string): WrenError {
  const text = head.toString("utf8");
  if (text.startsWith("version https://git-lfs")) {
    return invalid(
      `${path} is a Git LFS pointer, not the model itself.`,
      "Fetch the real file (`git lfs pull`) or download it with `wren pull <model>`.",
    );
  }
  if (/^\s*</.test(text)) {
    return invalid(`${path} is an HTML or XML page, not a GGUF ${kind} (a failed download?).`, hint);
  }
  const printable = head.length > 0 && [...head].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  const what = head.length === 0 ? "is empty" : printable ? "is a text file" : "does not start with the GGUF magic bytes";
  return invalid(`${path} ${what}, not a GGUF ${kind}.`, hint);
}

function parseError(path: string, error: unknown): WrenError {
  const code = errnoCode(error);
  if (code === "ENOENT") {
    return invalid(`A part of the split model ${path} is missing (${error instanceof Error ? error.message : code}).`, REDOWNLOAD, error);
  }
  const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  return invalid(`${path} is not a readable GGUF file: ${reason}`, REDOWNLOAD, error);
}

/** node-llama-cpp's rule for split files: `name-00001-of-00003.gguf` brings its sibling parts. */
const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/;

/** The other parts node-llama-cpp reads along with `path`, when it names part of a split model. */
function otherSplitParts(path: string): string[] {
  const match = SPLIT_PART.exec(path);
  const part = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || part === 0 || count === 0 || part > count) return [];
  const stem = path.slice(0, path.length - match[0].length);
  const parts: string[] = [];
  for (let i = 1; i <= count; i++) {
    if (i !== part) parts.push(`${stem}-${String(i).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.gguf`);
  }
  return parts;
}

async function checkSplitPart(path: string): Promise<void> {
  let size: number;
  try {
    size = await statFile(path);
  } catch (error) {
    if (error instanceof WrenError && error.code === "model_not_found") {
      throw invalid(`A part of the split model is missing: ${path}.`, REDOWNLOAD, error);
    }
    throw error;
  }
  await checkGgufMagic(path, size);
  await checkGgufHeader(path, size);
}

/**
 * Sizes of every part and the bytes of tensor data the header declares; throws if a part is short
 * (node-llama-cpp reads zeros past the end of a file; llama.cpp finds it only when it loads it).
 * `hint`: what to do about a short file.
 */
export async function checkGgufTruncation(path: string, info: GgufFileInfo, firstSize: number, hint: string = REDOWNLOAD): Promise<{ fileSize: number; tensorDataBytes: number }> {
  const parts = info.sourceData.flatMap((s) => (s.type === "path" ? [s] : []));
  const sizes = await Promise.all(parts.map(async (p, i) => (i === 0 ? firstSize : (await stat(p.path)).size)));
  const needed = parts.map((p) => p.length);
  let tensorDataBytes = 0;
  for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    const bytes = ggmlTensorBytes(tensor.ggmlType, tensor.dimensions);
    tensorDataBytes += bytes ?? 0;
    const index = tensor.filePart - 1;
    const end = Number(tensor.fileOffset) + (bytes ?? 1);
    if (index >= 0 && index < needed.length && end > (needed[index] ?? 0)) needed[index] = end;
  }
  for (const [i, part] of parts.entries()) {
    const size = sizes[i] ?? 0;
    const want = needed[i] ?? 0;
    if (size < want) {
      const percent = Math.floor((size / want) * 100);
      throw invalid(
        `${part.path} is truncated: it has ${size} bytes but its header needs at least ${want} (${percent}% present; an interrupted download?).`,
        hint,
      );
    }
  }
  return { fileSize: sizes.reduce((a, b) => a + b, 0), tensorDataBytes };
}

/** Keys llama.cpp needs, for this file's architecture and tokenizer. */
function requiredKeys(flat: Record<string, unknown>, architecture: string): { key: string; positive: boolean }[] {
  const counts = ["context_length", "embedding_length", "block_count"];
  if (!RECURRENT_ARCHES.has(architecture)) counts.push("feed_forward_length", "attention.head_count");
  const keys = counts.map((name) => ({ key: `${architecture}.${name}`, positive: true }));
  if (RMS_NORM_ARCHES.has(architecture)) keys.push({ key: `${architecture}.attention.layer_norm_rms_epsilon`, positive: false });
  keys.push({ key: "tokenizer.ggml.model", positive: false });
  const tokenizer = flat["tokenizer.ggml.model"];
  if (tokenizer !== "none" && tokenizer !== "no_vocab") keys.push({ key: "tokenizer.ggml.tokens", positive: false });
  return keys;
}

function isCount(value: unknown): value is number | bigint {
  return (typeof value === "number" && Number.isInteger(value)) || typeof value === "bigint";
}

/** A count must be a positive integer, or (per-layer values) integers of which at least one is positive. */
function isPositiveCount(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((v) => isCount(v) && v >= 0) && value.some((v) => Number(v) > 0);
  return isCount(value) && value > 0;
}

export interface MetadataProblem {
  key: string;
  problem: "missing" | "invalid";
  value?: unknown;
}

/**
 * The first required key that is missing or holds an impossible value (a zero or non-numeric
 * count makes llama.cpp abort the process); undefined when the header is complete.
 */
export function findMetadataProblem(flat: Record<string, unknown>): MetadataProblem | undefined {
  const architecture = flat["general.architecture"];
  if (typeof architecture !== "string" || architecture === "") return { key: "general.architecture", problem: "missing" };
  for (const { key, positive } of requiredKeys(flat, architecture)) {
    const value = flat[key];
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) {
      return { key, problem: "missing" };
    }
    if (positive && !isPositiveCount(value)) return { key, problem: "invalid", value };
  }
  return undefined;
}

function describeValue(value: unknown): string {
  const text = Array.isArray(value) ? `[${value.slice(0, 4).map(String).join(", ")}${value.length > 4 ? ", …" : ""}]` : JSON.stringify(typeof value === "bigint" ? String(value) : value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Reads and checks a GGUF file's header before llama.cpp sees it: some malformed files abort the
 * whole process inside llama.cpp instead of throwing. Reads only the header (metadata and tensor
 * table), never the tensor data.
 *
 * Every length and count in the header (and in the other parts of a split model) is checked
 * against sane limits and the file's size by a bounded reader of wren's own before node-llama-cpp's
 * parser sees the file: a corrupt length there would abort Node.
 *
 * @throws WrenError `model_not_found` when nothing is at `path`; `model_invalid` (one line saying
 * what is wrong, and a hint) for a directory, a non-GGUF file, a truncated or corrupt header, or
 * missing metadata. For a file in LM Studio's or Ollama's folder (`options`: where they are; default
 * the user's home and `OLLAMA_MODELS`) the hint says to download it again there, not with `wren pull`.
 */
export async function inspectGgufFile(path: string, options: DiscoveryOptions = {}): Promise<GgufSummary> {
  try {
    return await inspect(path);
  } catch (error) {
    throw withOwnerHint(error, path, options);
  }
}

async function inspect(path: string): Promise<GgufSummary> {
  const firstSize = await statFile(path);
  await checkGgufMagic(path, firstSize);
  // Bounds first: node-llama-cpp's parser and llama.cpp trust every length in the header.
  await checkGgufHeader(path, firstSize);
  for (const part of otherSplitParts(path)) await checkSplitPart(part);
  const { readGgufFileInfo } = await import("node-llama-cpp");
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: "filesystem" });
  } catch (error) {
    throw parseError(path, error);
  }
  // node-llama-cpp reads zeros past the end of a file, so a short file must be caught by size here.
  const { fileSize, tensorDataBytes } = await checkGgufTruncation(path, info, firstSize);
  const flat = flattenMetadata(info.metadata);
  const problem = findMetadataProblem(flat);
  if (problem) {
    const what =
      problem.problem === "missing"
        ? `lacks the metadata key \`${problem.key}\`, which llama.cpp needs to load it`
        : `has an impossible value for \`${problem.key}\` (${describeValue(problem.value)}; llama.cpp needs a positive whole number)`;
    throw invalid(
      `${path} ${what}.`,
      "The file is damaged or was converted incompletely: download it again (`wren pull <model>`) or convert it with a current llama.cpp.",
    );
  }
  return summarizeGguf(info, { path, fileSize, tensorDataBytes });
}
