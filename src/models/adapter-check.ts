import { stat } from "node:fs/promises";
import type { GgufFileInfo } from "node-llama-cpp";
import { WrenError } from "../shared/errors.js";
import { checkGgufMagic, checkGgufTruncation } from "./gguf-check.js";
import { checkGgufHeader } from "./gguf-header-check.js";
import { flattenMetadata } from "./gguf-info.js";

/** What a GGUF LoRA adapter file says about itself. */
export interface LoraAdapterInfo {
  path: string;
  /** `general.architecture` of the adapter (the base's architecture). */
  architecture: string;
  /** The base model's name when the adapter records one (`general.base_model.0.name`, `general.name`). */
  baseName?: string;
  /** `adapter.lora.alpha`, when present. */
  alpha?: number;
  /** ggml dimensions of each adapter tensor, by name (`blk.0.attn_q.weight.lora_a`). */
  tensors: Map<string, number[]>;
}

const BAD_ADAPTER_HINT = "Pass a GGUF LoRA adapter (convert a PEFT adapter with llama.cpp's convert_lora_to_gguf.py).";

/** `adapter`: the file is the adapter (not its base), so a cut-short one is refused here too. */
async function readInfo(path: string, adapter = false): Promise<GgufFileInfo> {
  let stats;
  try {
    stats = await stat(path);
  } catch (cause) {
    throw new WrenError("model_not_found", `No adapter file at ${path}.`, { cause, hint: "Check the path; `wren adapters list` shows the registered adapters." });
  }
  if (!stats.isFile()) throw new WrenError("model_invalid", `${path} is ${stats.isDirectory() ? "a directory" : "not a regular file"}, not a GGUF LoRA adapter.`, { hint: BAD_ADAPTER_HINT });
  await checkGgufMagic(path, stats.size, "LoRA adapter", BAD_ADAPTER_HINT);
  // wren's bounded reader first: node-llama-cpp's parser trusts every length in the header.
  await checkGgufHeader(path, stats.size);
  const { readGgufFileInfo } = await import("node-llama-cpp");
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: "filesystem" });
  } catch (cause) {
    throw new WrenError("model_invalid", `${path} is not a readable GGUF file: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, hint: BAD_ADAPTER_HINT });
  }
  // A cut-short adapter reads as whole here; llama.cpp refuses it only after the model has loaded.
  if (adapter) await checkGgufTruncation(path, info, stats.size, `Copy or convert the adapter again. ${BAD_ADAPTER_HINT}`);
  return info;
}

function dims(info: GgufFileInfo): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const t of info.fullTensorInfo ?? []) out.set(t.name, t.dimensions.map((d) => Number(d)));
  return out;
}

/**
 * Reads a GGUF LoRA adapter's header and tensor table, checking that it is one
 * (`general.type = adapter`, `adapter.type = lora`).
 *
 * @throws WrenError `model_not_found` when nothing is at `path`; `model_invalid` for anything else.
 */
export async function inspectLoraAdapter(path: string): Promise<LoraAdapterInfo> {
  const info = await readInfo(path, true);
  const flat = flattenMetadata(info.metadata);
  const kind = flat["general.type"];
  const adapterType = flat["adapter.type"];
  if (kind !== "adapter" || adapterType !== "lora") {
    throw new WrenError("model_invalid", `${path} is not a LoRA adapter (general.type is ${JSON.stringify(kind ?? null)}, adapter.type is ${JSON.stringify(adapterType ?? null)}).`, { hint: BAD_ADAPTER_HINT });
  }
  const architecture = flat["general.architecture"];
  if (typeof architecture !== "string") {
    throw new WrenError("model_invalid", `${path} does not say which architecture it adapts (general.architecture is missing).`, { hint: BAD_ADAPTER_HINT });
  }
  const tensors = dims(info);
  if (![...tensors.keys()].some((n) => n.endsWith(".lora_a"))) {
    throw new WrenError("model_invalid", `${path} holds no LoRA tensors (no *.lora_a / *.lora_b).`, { hint: BAD_ADAPTER_HINT });
  }
  const baseName = flat["general.base_model.0.name"] ?? flat["general.name"];
  const alpha = flat["adapter.lora.alpha"];
  return {
    path,
    architecture,
    tensors,
    ...(typeof baseName === "string" ? { baseName } : {}),
    ...(typeof alpha === "number" ? { alpha } : {}),
  };
}

/**
 * Why the adapter does not fit the base model, or undefined when it does: same architecture, and
 * for every `X.lora_a` [in, r] / `X.lora_b` [r, out] pair a base tensor `X` of [in, out]. llama.cpp
 * aborts the process or fails mid-load on a mismatch, so this runs before it sees the adapter.
 */
export async function adapterMismatch(adapter: LoraAdapterInfo, basePath: string): Promise<string | undefined> {
  const base = await readInfo(basePath);
  const arch = flattenMetadata(base.metadata)["general.architecture"];
  if (arch !== adapter.architecture) return `it adapts a ${adapter.architecture} model and the base is ${String(arch)}`;
  const baseTensors = dims(base);
  for (const [name, a] of adapter.tensors) {
    if (!name.endsWith(".lora_a")) continue;
    const target = name.slice(0, -".lora_a".length);
    const b = adapter.tensors.get(`${target}.lora_b`);
    const w = baseTensors.get(target);
    if (!b) return `${name} has no matching ${target}.lora_b`;
    if (!w) return `the base has no tensor ${target}`;
    if (a[0] !== w[0] || b[1] !== w[1] || a[1] !== b[0]) {
      return `${target} is [${w.join(", ")}] in the base but the adapter's pair is [${a.join(", ")}] x [${b.join(", ")}]`;
    }
  }
  return undefined;
}
