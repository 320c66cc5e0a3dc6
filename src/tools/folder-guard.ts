import fs from "node:fs/promises";
import path from "node:path";

/** A folder copied larger than this is not guarded: the call is refused instead. wren's own folder holds a few small files. */
const MAX_BYTES = 16 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

type Entry = { kind: "dir"; mode: number } | { kind: "file"; mode: number; data: Buffer } | { kind: "link"; target: string };

/** What a folder held when it was copied: every file, folder and link below it by its relative path, or null when it was not there. */
export interface FolderCopy {
  folder: string;
  entries: Map<string, Entry> | null;
}

/**
 * Copies each folder whole (files, folders, symbolic links as links), to put back with
 * {@link putBack}. Throws, with a reason a person can act on, when one cannot be copied: it is a
 * link or a file rather than a folder, something below cannot be read, is neither a file, a folder
 * nor a link, or there is too much of it.
 */
export async function copyFolders(folders: readonly string[]): Promise<FolderCopy[]> {
  const copies: FolderCopy[] = [];
  for (const folder of folders) {
    const top = await fs.lstat(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (top === undefined) {
      copies.push({ folder, entries: null });
      continue;
    }
    if (!top.isDirectory()) throw new Error(`${folder} is not a folder (a link or a file stands there)`);
    const entries = new Map<string, Entry>();
    let bytes = 0;
    const walk = async (rel: string): Promise<void> => {
      for (const name of (await fs.readdir(path.join(folder, rel))).sort()) {
        const at = rel ? path.join(rel, name) : name;
        const full = path.join(folder, at);
        const stat = await fs.lstat(full);
        if (entries.size >= MAX_ENTRIES) throw new Error(`${folder} holds more than ${MAX_ENTRIES} entries`);
        if (stat.isSymbolicLink()) entries.set(at, { kind: "link", target: await fs.readlink(full) });
        else if (stat.isDirectory()) {
          entries.set(at, { kind: "dir", mode: stat.mode & 0o7777 });
          await walk(at);
        } else if (stat.isFile()) {
          bytes += stat.size;
          if (bytes > MAX_BYTES) throw new Error(`${folder} holds more than ${MAX_BYTES / 1024 / 1024} MiB`);
          entries.set(at, { kind: "file", mode: stat.mode & 0o7777, data: await fs.readFile(full) });
        } else throw new Error(`${full} is neither a file, a folder nor a link`);
      }
    };
    await walk("");
    copies.push({ folder, entries });
  }
  return copies;
}

/** What {@link putBack} did: the paths it put back as they were (each folder's own name when the folder itself had changed). */
export interface PutBack {
  restored: string[];
  /** Why some could not be put back, when some could not. */
  failed?: string;
}

/**
 * Makes each copied folder hold again exactly what it held, where it no longer does: what was
 * added goes, what was removed or changed comes back, a link or a file put in its place is taken
 * away (never followed). Returns the absolute paths that differed; none when nothing changed.
 */
export async function putBack(copies: readonly FolderCopy[]): Promise<PutBack> {
  const restored: string[] = [];
  const failures: string[] = [];
  for (const copy of copies) {
    try {
      restored.push(...(await restoreOne(copy)));
    } catch (error) {
      failures.push(`${copy.folder}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures.length > 0 ? { restored, failed: failures.join("; ") } : { restored };
}

async function restoreOne({ folder, entries }: FolderCopy): Promise<string[]> {
  const top = await fs.lstat(folder).catch(() => undefined);
  if (entries === null) {
    if (top === undefined) return [];
    // fs.rm takes a link away without following it.
    await fs.rm(folder, { recursive: true, force: true });
    return [folder];
  }
  if (top === undefined || !top.isDirectory()) {
    if (top !== undefined) await fs.rm(folder, { recursive: true, force: true });
    await fs.mkdir(folder, { recursive: true });
    await writeAll(folder, entries, new Set(entries.keys()));
    return [folder];
  }
  const changed = new Set<string>();
  // What is there now that was not, or is of another kind: taken away (a folder with all below it).
  const walk = async (rel: string): Promise<void> => {
    const names = await fs.readdir(path.join(folder, rel)).catch(() => [] as string[]);
    for (const name of names) {
      const at = rel ? path.join(rel, name) : name;
      const full = path.join(folder, at);
      const stat = await fs.lstat(full).catch(() => undefined);
      if (!stat) continue;
      const was = entries.get(at);
      const kind = stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "dir" : stat.isFile() ? "file" : "other";
      if (!was || was.kind !== kind) {
        await fs.rm(full, { recursive: true, force: true });
        changed.add(at);
        continue;
      }
      if (was.kind === "dir") {
        if ((stat.mode & 0o7777) !== was.mode) changed.add(at);
        await walk(at);
      } else if (was.kind === "link") {
        if ((await fs.readlink(full)) !== was.target) changed.add(at);
      } else if (was.kind === "file") {
        if ((stat.mode & 0o7777) !== was.mode || stat.size !== was.data.length || !(await fs.readFile(full)).equals(was.data)) changed.add(at);
      }
    }
  };
  await walk("");
  // What was there and is gone.
  for (const at of entries.keys()) {
    if (changed.has(at)) continue;
    if ((await fs.lstat(path.join(folder, at)).catch(() => undefined)) === undefined) changed.add(at);
  }
  if (changed.size === 0) return [];
  await writeAll(folder, entries, changed);
  return [...changed].sort().map((at) => path.join(folder, at));
}

/** Writes the copied entries named in `which` (and the folders they are in) back, parents first. */
async function writeAll(folder: string, entries: Map<string, Entry>, which: Set<string>): Promise<void> {
  for (const [at, entry] of [...entries].sort(([a], [b]) => a.length - b.length || a.localeCompare(b))) {
    if (!which.has(at) && !(entry.kind === "dir" && [...which].some((w) => w.startsWith(at + path.sep)))) continue;
    const full = path.join(folder, at);
    if (entry.kind === "dir") {
      await fs.mkdir(full, { recursive: true });
      await fs.chmod(full, entry.mode);
    } else if (entry.kind === "link") {
      await fs.rm(full, { force: true, recursive: true });
      await fs.symlink(entry.target, full);
    } else {
      // Whatever stands there is taken away first, so no link is written through.
      await fs.rm(full, { force: true, recursive: true });
      await fs.writeFile(full, entry.data, { mode: entry.mode, flag: "wx" });
      await fs.chmod(full, entry.mode);
    }
  }
}
