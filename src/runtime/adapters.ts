import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../models/atomic-write.js";
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
}

const recordSchema = z.object({
  name: z.string(),
  path: z.string(),
  base: z.string().optional(),
  architecture: z.string(),
  scale: z.number(),
  addedAt: z.string(),
});
const fileSchema = z.object({ version: z.literal(1), adapters: z.array(recordSchema) });

/** Names clients put after `+` in a model name and in `x-wren-adapter`: no `+`, `:` or spaces. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

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
  if (!NAME.test(name)) {
    throw new WrenError("bad_request", `'${name}' cannot name an adapter: use letters, digits, '.', '_' and '-' (at most 64).`, { hint: "Pass --name with such a name." });
  }
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

export function adapterNotFound(name: string, list: readonly AdapterRecord[]): WrenError {
  return new WrenError("bad_request", `No adapter named '${name}' is registered.`, {
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
