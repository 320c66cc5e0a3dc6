import { constants, type Stats } from "node:fs";
import fs from "node:fs/promises";
import { realPathSync } from "../permissions/real-paths.js";
import { errorResult } from "./result.js";
import type { ToolContext, ToolResult } from "./tool.js";

/**
 * Where a call's paths really are, as the permission system judges them (the path named and, through
 * symbolic links, where it leads): the agent takes this when it judges the call (`ToolContext.approvedPaths`).
 */
export function approvedPlaces(paths: readonly string[]): string[] {
  return [...new Set(paths.flatMap((p) => [p, realPathSync(p)]))];
}

/**
 * Where `file` really is now, when that is a place the call was approved for; an error result when a
 * link on the way was changed since (another program swapping a file for a link out of the project
 * while the user was asked). Without `ctx.approvedPaths` (no judgement), where it is now, unchecked.
 */
export function approvedTarget(ctx: ToolContext, file: string, tool: string): { ok: true; path: string } | { ok: false; result: ToolResult } {
  const real = realPathSync(file);
  if (!ctx.approvedPaths || ctx.approvedPaths.includes(real)) return { ok: true, path: real };
  return {
    ok: false,
    result: errorResult(
      `${file} now leads to ${real}, not to where it led when this ${tool} call was approved (a link on the way changed since); ${tool} did nothing.`,
      "Check what the path is now, and call it again to have it judged as it is.",
    ),
  };
}

/** Opening never follows a link in the last name (`O_NOFOLLOW`, where the system has it). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Opens `file` for reading without following a link in its last name, and checks that it is the
 * file `seen` (by a `stat` before): what was checked is what is read. Throws a clear error when the
 * file was swapped in between.
 */
export async function openChecked(file: string, seen: Stats): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new Error(swapped(file), { cause: error });
    throw error;
  }
  const now = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!sameFile(now, seen)) {
    await handle.close();
    throw new Error(swapped(file));
  }
  return handle;
}

/**
 * Throws when `file` is no longer the file that was read (`seen`), or, for a new file (no `seen`),
 * when something is there now: run just before the new content replaces it, so a swap in between
 * never sends the write elsewhere.
 */
export async function checkUnchangedTarget(file: string, seen: Stats | undefined): Promise<void> {
  const now = await fs.lstat(file).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error)));
  if (seen === undefined ? now !== undefined : now === undefined || !sameFile(now, seen)) throw new Error(swapped(file));
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && !a.isSymbolicLink();
}

function swapped(file: string): string {
  return `${file} was replaced (by another file or a link) while wren was using it, so nothing was done. Read it again and check what it is before you try again.`;
}
