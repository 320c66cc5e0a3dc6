import { readFile } from "node:fs/promises";
import { z } from "zod";
import { f32, str, u32, writeGguf, type GgufValue, type TensorSpec } from "../../models/gguf-writer.js";
import { WrenError } from "../../shared/errors.js";

const tensorEntry = z.object({ dtype: z.literal("F32"), shape: z.array(z.number().int().positive()), data_offsets: z.tuple([z.number().int(), z.number().int()]) });
const LORA_NAME = /^blk\.\d+\.[a-z_]+\.weight\.lora_[ab]$/;

/** The tensors of a safetensors file (F32 only: what wren's trainers write). */
export async function readSafetensors(file: string): Promise<{ tensors: Map<string, { shape: number[]; data: Float32Array }>; metadata: Record<string, string> }> {
  const bytes = await readFile(file);
  const bad = (why: string): WrenError =>
    new WrenError("internal", `The trainer's adapter tensors (${file}) are unreadable: ${why}.`, { hint: "The trainer does not follow wren's trainer protocol (docs/training.md)." });
  if (bytes.length < 8) throw bad("the file is too short");
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (8 + headerLength > bytes.length) throw bad("the header runs past the end");
  let header: Record<string, unknown>;
  try {
    header = z.record(z.string(), z.unknown()).parse(JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")));
  } catch {
    throw bad("the header is not a JSON object");
  }
  const metadata = z.record(z.string(), z.string()).catch({}).parse(header["__metadata__"] ?? {});
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const entry = tensorEntry.safeParse(value);
    if (!entry.success) throw bad(`tensor ${name} is not an F32 tensor entry`);
    const [begin, end] = entry.data.data_offsets;
    const count = entry.data.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * 4 || end > data.length) throw bad(`tensor ${name}'s data does not match its shape`);
    // Copied out so the Float32Array is aligned whatever the header's length.
    const values = new Float32Array(count);
    Buffer.from(values.buffer).set(data.subarray(begin, end));
    tensors.set(name, { shape: entry.data.shape, data: values });
  }
  return { tensors, metadata };
}

/** Options of {@link writeLoraGguf}. */
export interface LoraGgufOptions {
  /** `adapter.lora.alpha`: llama.cpp scales the product B·A by alpha / rank. */
  alpha: number;
  /** `general.name` of the adapter. */
  name: string;
  /** The base model's name, recorded as `general.base_model.0.name`. */
  baseName: string;
  architecture?: string;
}

/**
 * Writes LoRA tensors as a GGUF LoRA adapter llama.cpp loads: `general.type = adapter`,
 * `adapter.type = lora`, `adapter.lora.alpha`, and per target `X.lora_a` (ggml [in, r]) and
 * `X.lora_b` (ggml [r, out]); a row-major [r, in] tensor is ggml [in, r], so shapes are reversed.
 */
export async function writeLoraGguf(file: string, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, options: LoraGgufOptions): Promise<number> {
  const names = [...tensors.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  if (names.length === 0 || names.some((n) => !LORA_NAME.test(n))) {
    throw new WrenError("internal", `The trainer wrote tensors wren cannot place in a LoRA adapter: ${names.filter((n) => !LORA_NAME.test(n)).join(", ") || "none at all"}.`, {
      hint: "Name them blk.N.TARGET.weight.lora_a / .lora_b (docs/training.md).",
    });
  }
  const specs: TensorSpec[] = names.map((name) => {
    const tensor = tensors.get(name)!;
    return {
      name,
      dims: [...tensor.shape].reverse(),
      type: "F32",
      fill: (out, firstRow, rows) => {
        const rowLength = tensor.shape.at(-1) ?? 1;
        out.set(tensor.data.subarray(firstRow * rowLength, (firstRow + rows) * rowLength));
      },
    };
  });
  const metadata: Array<[string, GgufValue]> = [
    ["general.architecture", str(options.architecture ?? "llama")],
    ["general.type", str("adapter")],
    ["general.name", str(options.name)],
    ["general.base_model.count", u32(1)],
    ["general.base_model.0.name", str(options.baseName)],
    ["adapter.type", str("lora")],
    ["adapter.lora.alpha", f32(options.alpha)],
  ];
  return writeGguf(file, metadata, specs);
}
