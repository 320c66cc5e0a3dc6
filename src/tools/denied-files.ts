import fs from "node:fs/promises";
import type { ToolContext } from "./tool.js";

/** Paths resolved at once: enough to keep the disk busy, few enough to bound what waits. */
const BATCH = 64;

/** Options of {@link withoutDenied}. */
export interface WithoutDeniedOptions {
  /**
   * Also judge the file a symlink points to, for tools that read contents (Grep): otherwise a link
   * named `notes.txt` would show a denied `.env`. Tools that only list names (Glob) need not.
   */
  followLinks: boolean;
}

/**
 * The found files the permission rules let `tool` see, and how many they deny. A folder search is
 * allowed as one call; this is how it keeps out the single files that deny rules name.
 */
export async function withoutDenied<F extends { path: string }>(tool: string, files: F[], ctx: ToolContext, options: WithoutDeniedOptions): Promise<{ files: F[]; denied: number }> {
  const isDenied = ctx.isDenied;
  if (!isDenied) return { files, denied: 0 };
  const kept: F[] = [];
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    const verdicts = await Promise.all(batch.map(async (file) => isDenied(tool, file.path) || (options.followLinks && isDenied(tool, await realPath(file.path)))));
    batch.forEach((file, i) => {
      if (!verdicts[i]) kept.push(file);
    });
  }
  return { files: kept, denied: files.length - kept.length };
}

async function realPath(file: string): Promise<string> {
  return fs.realpath(file).catch(() => file);
}

/** The note a result carries when files were left out: how many, never which (their names may be the secret). */
export function deniedNote(tool: string, denied: number): string | undefined {
  if (denied === 0) return undefined;
  return `[${denied} file${denied === 1 ? " was" : "s were"} left out: the permission rules deny ${tool} access to ${denied === 1 ? "it" : "them"}.]`;
}
