import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { WrenError } from "../shared/errors.js";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { withFileLock } from "./file-lock.js";
import { formatModelRef, parseModelRef, type ModelRef } from "./ref.js";

/** One model in the store. Paths are relative to the models directory. */
export const manifestEntrySchema = z.object({
  /**
   * The reference that names this model alone, canonical (`hf:org/repo:Q4_K_M`, a URL, a catalog
   * name): what `wren models list` shows. A pull of `hf:org/repo` records the quantisation it took.
   */
  ref: z.string(),
  /** The first (or only) GGUF file, relative to the models directory. */
  file: z.string(),
  /** Further parts of a split GGUF, relative to the models directory. */
  parts: z.array(z.string()).default([]),
  /** Bytes of all parts together. */
  size: z.number().int().nonnegative(),
  /** SHA-256 of the first file (hex); of each part in `partSha256`. */
  sha256: z.string().nullable(),
  partSha256: z.array(z.string().nullable()).default([]),
  /** The Hub commit the file came from (pinned: a present model is never fetched again silently). */
  revision: z.string().nullable(),
  /** Where it came from: `hf`, `url` or `catalog`. */
  source: z.enum(["hf", "url", "catalog"]),
  repo: z.string().optional(),
  repoFile: z.string().optional(),
  quant: z.string().optional(),
  url: z.string().optional(),
  /** Catalog name, when pulled by one. */
  name: z.string().optional(),
  added: z.string(),
  lastUsed: z.string().nullable(),
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

const manifestSchema = z.object({
  version: z.literal(1),
  models: z.array(manifestEntrySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function manifestPath(modelsDir: string): string {
  return path.join(modelsDir, "manifest.json");
}

/** Reads the manifest; a missing file is an empty store. */
export async function readManifest(modelsDir: string): Promise<Manifest> {
  const file = manifestPath(modelsDir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, models: [] };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WrenError("config_invalid", `The model manifest ${file} is not valid JSON.`, {
      cause,
      hint: "Fix or delete it; wren rebuilds it as you pull models again.",
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new WrenError("config_invalid", `The model manifest ${file} has an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}.`, {
      hint: "Fix or delete it; wren rebuilds it as you pull models again.",
    });
  }
  return { ...parsed.data, models: parsed.data.models.map((entry) => withFullRef(entry, parsed.data.models)) };
}

/** The revision a Hub reference names, `main` when none. */
function revisionOf(entry: ManifestEntry): string | undefined {
  try {
    const parsed = parseModelRef(entry.ref);
    return parsed.kind === "hf" ? (parsed.revision ?? "main") : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An entry an older wren recorded as `hf:org/repo` (pulled so, wren picking the quantisation),
 * read under the reference that names it alone, as a pull records it now: `hf:org/repo:Q4_K_M`, or
 * its file where another stored model of the repository has that quantisation. The bare name also
 * names every quantisation of the repository pulled since, so `wren run` would refuse what
 * `wren models list` showed. Written back so by the next change to the manifest.
 */
function withFullRef(entry: ManifestEntry, models: readonly ManifestEntry[]): ManifestEntry {
  let parsed: ModelRef;
  try {
    parsed = parseModelRef(entry.ref);
  } catch {
    return entry;
  }
  if (entry.source !== "hf" || parsed.kind !== "hf" || parsed.quant || parsed.file) return entry;
  const quant = entry.quant?.toUpperCase();
  const revision = revisionOf(entry);
  const sameQuant = models.filter((m) => m.repo?.toLowerCase() === entry.repo?.toLowerCase() && m.quant?.toUpperCase() === quant && revisionOf(m) === revision);
  if (quant && sameQuant.length === 1) return { ...entry, ref: formatModelRef({ ...parsed, quant }) };
  return entry.repoFile ? { ...entry, ref: formatModelRef({ ...parsed, file: entry.repoFile }) } : entry;
}

/** How a manifest change waits for another process that is changing it. */
export interface ManifestLockOptions {
  /** Ends the wait for the manifest lock (Ctrl-C during a pull). */
  signal?: AbortSignal | undefined;
  /** Called once when another process holds the manifest lock and this one waits. */
  onWait?: (() => void) | undefined;
}

/**
 * Changes the manifest under a lock (so two processes never lose each other's entries) and writes it
 * atomically. Returns what `change` returns.
 */
export async function updateManifest<T>(modelsDir: string, change: (manifest: Manifest) => T, options: ManifestLockOptions = {}): Promise<T> {
  const file = manifestPath(modelsDir);
  return withFileLock(
    `${file}.lock`,
    async () => {
      const manifest = await readManifest(modelsDir);
      const result = change(manifest);
      await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
      return result;
    },
    { signal: options.signal, ...(options.onWait ? { onWait: options.onWait } : {}) },
  );
}

/** Adds an entry, replacing one with the same file. */
export async function putEntry(modelsDir: string, entry: ManifestEntry, options: ManifestLockOptions = {}): Promise<void> {
  await updateManifest(
    modelsDir,
    (manifest) => {
      manifest.models = manifest.models.filter((m) => m.file !== entry.file && m.ref !== entry.ref);
      manifest.models.push(entry);
    },
    options,
  );
}

/** Marks an entry as used now (for `models list` and least-recently-used pruning). */
export async function touchEntry(modelsDir: string, file: string, now: Date = new Date(), options: ManifestLockOptions = {}): Promise<void> {
  await updateManifest(
    modelsDir,
    (manifest) => {
      const entry = manifest.models.find((m) => m.file === file);
      if (entry) entry.lastUsed = now.toISOString();
    },
    options,
  );
}
