import type { Stats } from "node:fs";
import fs from "node:fs/promises";
import { approvedTarget, checkUnchangedTarget, openChecked } from "./approved-path.js";
import { notRegularFile, specialFileKind } from "./file-kind.js";
import { errorResult, okResult } from "./result.js";
import { displayPath } from "./resolve-path.js";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { decodeText, encodeChange, judgeFileBytes, type TextFile } from "./text-file.js";
import type { ToolContext, ToolResult } from "./tool.js";

/** Where a change is written: the file's real place, and what was there when it was read (nothing for a new file). */
export interface ChangeTarget {
  path: string;
  seen: Stats | undefined;
}

/** A file about to be changed: what it holds now, or nothing when it does not exist yet. */
export type Opened = { ok: true; existing: TextFile | undefined; target: ChangeTarget } | { ok: false; result: ToolResult };

/**
 * Loads a file for Edit or Write, refusing what should not be changed blindly: a directory, a
 * FIFO, socket or device, a binary file, or (with a read ledger) a file the model has not read or that changed since.
 * It is read where it really is, a place the call was approved for (see `approvedTarget`), through
 * one handle checked to be the file looked at; `commitChange` writes there, and only while it is still that file.
 */
export async function openForChange(ctx: ToolContext, file: string, tool: string): Promise<Opened> {
  const place = approvedTarget(ctx, file, tool);
  if (!place.ok) return place;
  const stat = await fs.stat(place.path).catch((error: NodeJS.ErrnoException) => error);
  if (stat instanceof Error) {
    if (stat.code === "ENOENT") return { ok: true, existing: undefined, target: { path: place.path, seen: undefined } };
    return { ok: false, result: errorResult(`Cannot open ${file}: ${stat.message}.`) };
  }
  if (stat.isDirectory()) return { ok: false, result: errorResult(`${file} is a directory, not a file.`) };
  const special = specialFileKind(stat);
  if (special) return { ok: false, result: errorResult(`${notRegularFile(file, special)}; only regular files can be changed.`) };
  const freshness = ctx.files?.check(file, stat) ?? "current";
  if (freshness === "unread") {
    return { ok: false, result: errorResult(`You have not read ${file} in this session.`, "Read it first, then change it.") };
  }
  if (freshness === "changed") {
    return {
      ok: false,
      result: errorResult(`${file} changed on disk since you read it (the user or another program edited it).`, "Read it again, then make your change."),
    };
  }
  const handle = await openChecked(place.path, stat);
  let bytes: Buffer;
  try {
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  // The whole file, not its head: every byte of it is written back.
  const verdict = judgeFileBytes(bytes);
  if (verdict.kind === "binary") {
    const where = verdict.at > 0 ? ` (text up to byte ${verdict.at}, then binary data)` : "";
    return { ok: false, result: errorResult(`${file} is a binary file${where}; only text files can be changed.`, "Use Bash with a tool made for this format if it must change.") };
  }
  if (verdict.kind === "not-utf8") {
    return {
      ok: false,
      result: errorResult(
        `${file} is not UTF-8 text (byte ${verdict.at} is not UTF-8, as in a Latin-1 or Windows-1252 file); changing it here would replace such bytes with U+FFFD everywhere in the file.`,
        "Convert it to UTF-8 first if that is wanted (iconv -f WINDOWS-1252 -t UTF-8), or change it with Bash (sed -i).",
      ),
    };
  }
  return { ok: true, existing: decodeText(bytes), target: { path: place.path, seen: stat } };
}

/** What Edit and Write hand the agent: the change as a unified diff. */
export interface FileChangeData {
  kind: "diff";
  path: string;
  created: boolean;
  /** Unified diff of the change (`\n` line endings), with `a/` and `b/` headers. */
  diff: string;
  additions: number;
  deletions: number;
}

/**
 * Writes the new text atomically in the file's own line endings (each line's own, in a file with
 * both kinds) and byte-order mark, notes the new state in the read ledger (so the model can keep
 * editing), and reports the diff. With `target` (from `openForChange`), it writes there, and refuses
 * when the file there was replaced since it was read.
 */
export async function commitChange(
  ctx: ToolContext,
  file: string,
  before: TextFile | undefined,
  text: string,
  summary: string,
  newFileEol: TextFile["eol"] = "\n",
  target?: ChangeTarget,
): Promise<ToolResult> {
  const after: TextFile = { text, eol: before?.eol ?? newFileEol, bom: before?.bom ?? false };
  // Loaded on the first change, not when the assistant starts.
  const { diffArrays, formatPatch, structuredPatch } = await import("diff");
  const written = target?.path ?? file;
  await writeFileAtomic(written, encodeChange(before, after, diffArrays), target ? { beforeRename: () => checkUnchangedTarget(written, target.seen) } : {});
  const stat: Stats = await fs.stat(written);
  ctx.files?.record(file, stat);
  const shown = displayPath(ctx, file);
  const patch = structuredPatch(`a/${shown}`, `b/${shown}`, before?.text ?? "", text, undefined, undefined, { context: 3 });
  let additions = 0;
  let deletions = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith("+")) additions++;
      else if (line.startsWith("-")) deletions++;
    }
  }
  const diff = patch.hunks.length === 0 ? "" : formatPatch(patch).replace(/^=+\n/, "");
  const data: FileChangeData = { kind: "diff", path: file, created: before === undefined, diff, additions, deletions };
  const counts = `(+${additions} -${deletions})`;
  return okResult(`${summary} ${counts}\n${diff}`.trimEnd(), { display: `${summary.replace(file, shown)} ${counts}`, data });
}
