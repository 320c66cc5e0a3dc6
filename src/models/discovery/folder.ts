import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** One entry of a folder, with a symbolic link taken as what it points to. */
export interface FolderEntry {
  name: string;
  dir: boolean;
  file: boolean;
  /** Bytes, for a file. */
  size: number;
}

/**
 * The entries of another tool's model folder, following symbolic links (folders moved to another
 * disk and linked back); a dangling link, or one that cannot be read, is left out. A folder that
 * cannot be read has no entries.
 */
export async function readFolder(folder: string): Promise<FolderEntry[]> {
  let dirents;
  try {
    dirents = await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const entries: FolderEntry[] = [];
  for (const dirent of dirents) {
    try {
      const info = await stat(path.join(folder, dirent.name));
      entries.push({ name: dirent.name, dir: info.isDirectory(), file: info.isFile(), size: info.size });
    } catch {
      // Dangling: its target is gone or on a disk that is not mounted.
    }
  }
  return entries;
}
