import { createHash } from "node:crypto";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { writeSyntheticModel, type SyntheticModelOptions } from "./gguf-writer.js";

/** Bump when the writer's output changes, so stale cached files are not reused. */
const WRITER_VERSION = 1;

/** Where generated models are cached between test files and runs. */
export const syntheticModelsDir = path.join(os.tmpdir(), "wren-synthetic-models");

function optionsHash(options: SyntheticModelOptions): string {
  const sorted = Object.fromEntries(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify({ v: WRITER_VERSION, ...sorted })).digest("hex").slice(0, 16);
}

/**
 * The path of a synthetic model with these options, generated on first use and cached in the OS
 * temp folder by a hash of the options, so test files (and benchmark runs) share one file. Written
 * to a temporary name and renamed, so a concurrent reader never sees a half-written file.
 */
export async function syntheticModel(options: SyntheticModelOptions = {}): Promise<string> {
  const file = path.join(syntheticModelsDir, `${optionsHash(options)}.gguf`);
  try {
    await stat(file);
    return file;
  } catch {
    // Not generated yet.
  }
  await mkdir(syntheticModelsDir, { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  try {
    await writeSyntheticModel(partial, options);
    await rename(partial, file);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  return file;
}
