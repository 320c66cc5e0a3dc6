import fs from "node:fs/promises";
import { z } from "zod";
import { throwIfAborted } from "../shared/abort.js";
import { defineTool } from "./define-tool.js";
import { deniedNote, withoutDenied } from "./denied-files.js";
import { notRegularFile, specialFileKind } from "./file-kind.js";
import { compileGrepPattern } from "./grep-pattern.js";
import { matchingLines, withContext } from "./grep-search.js";
import { fileTypeFilter, GREP_TYPE_NAMES } from "./grep-types.js";
import { assertNoClimb, byRecency, listFiles, type FoundFile } from "./list-files.js";
import { errorResult, okResult } from "./result.js";
import { displayPath, resolveToolPath } from "./resolve-path.js";
import { looksBinary } from "./text-file.js";
import type { ToolContext } from "./tool.js";

/** Entries (files, lines or counts) shown when the model gives no head_limit. */
export const GREP_DEFAULT_HEAD_LIMIT = 250;
/** Content output is cut here whatever the line count (a few long lines can be huge). */
export const GREP_MAX_CHARS = 30_000;
/** Matched lines longer than this are cut (minified files). */
const MAX_LINE_CHARS = 2000;
/** Files read at once: enough to keep the disk busy, few enough to bound memory. */
const READ_BATCH = 16;
/** Files bigger than this are skipped: they are data, not source, and would take the memory. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** ripgrep's line between groups of context that do not touch: printed, but not an entry. */
const GROUP_SEPARATOR = "--";

const parameters = z.object({
  pattern: z.string().min(1).describe("A regular expression (ripgrep syntax), e.g. `function\\s+\\w+` or `TODO`."),
  path: z.string().min(1).optional().describe("A file or folder to search (default: the working directory)."),
  glob: z.string().min(1).optional().describe("Only files matching this glob, e.g. `*.ts`, `*.{js,jsx}`, `src/**/*.py`; `!*.min.js` excludes."),
  output_mode: z
    .enum(["content", "files_with_matches", "count"])
    .default("files_with_matches")
    .describe("`files_with_matches` (default): paths of files that match; `content`: the matching lines; `count`: matches per file."),
  "-i": z.boolean().default(false).describe("Case-insensitive."),
  "-n": z.boolean().default(true).describe("Show line numbers (content mode; default true)."),
  "-A": z.number().int().min(0).max(100).optional().describe("Lines of context after each match (content mode)."),
  "-B": z.number().int().min(0).max(100).optional().describe("Lines of context before each match (content mode)."),
  "-C": z.number().int().min(0).max(100).optional().describe("Lines of context before and after each match (content mode)."),
  type: z.string().min(1).optional().describe("Only files of this type, as ripgrep's --type: `ts`, `js`, `py`, `rust`, `go`, `java`, `md`, …"),
  multiline: z.boolean().default(false).describe("Let matches span lines; `.` then matches newlines too."),
  head_limit: z.number().int().min(1).optional().describe(`Show only the first N entries (default ${GREP_DEFAULT_HEAD_LIMIT}).`),
});

type GrepInput = z.output<typeof parameters>;

export const grepTool = defineTool({
  name: "Grep",
  description:
    "Searches file contents with a regular expression, like ripgrep: respects .gitignore, skips hidden and binary files. " +
    "output_mode `files_with_matches` (default) lists matching files, newest first; `content` shows matching lines as " +
    "`path:line:text` (with -A/-B/-C context); `count` gives matches per file. Narrow with glob or path.",
  parameters,
  readOnly: true,
  permission: (input, ctx) => {
    // The read is asked for the folder searched: a glob must not climb out of it.
    if (input.glob !== undefined) assertNoClimb(input.glob);
    return { tool: "Grep", effect: "read", paths: [root(input, ctx)] };
  },
  async execute(input, ctx) {
    const pattern = await compileGrepPattern(input.pattern, { ignoreCase: input["-i"], multiline: input.multiline });
    const target = root(input, ctx);
    const stat = await fs.stat(target).catch(() => undefined);
    if (!stat) return errorResult(`Path not found: ${target}.`, "Give an existing file or folder.");
    const special = specialFileKind(stat);
    if (special) return errorResult(`${notRegularFile(target, special)}; Grep searches files and folders.`, "Give a regular file or a folder.");
    const ofType = input.type === undefined ? () => true : fileTypeFilter(input.type);
    if (!ofType) return errorResult(`Unknown file type '${input.type}'.`, `Use one of: ${GREP_TYPE_NAMES.join(", ")}; or a glob such as *.ext.`);
    const listed: FoundFile[] = stat.isDirectory() ? await listFiles(target, grepGlobPatterns(input.glob), { dot: false, signal: ctx.signal }) : [{ path: target, mtimeMs: stat.mtimeMs }];
    const { files, denied } = await withoutDenied("Grep", stat.isDirectory() ? listed.filter((f) => ofType(f.path)) : listed, ctx, { followLinks: true });
    files.sort(input.output_mode === "files_with_matches" ? byRecency : (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const limit = input.head_limit ?? GREP_DEFAULT_HEAD_LIMIT;
    const entries: string[] = [];
    let shownEntries = 0;
    let totalEntries = 0;
    let matchedFiles = 0;
    let chars = 0;
    let charCapped = false;
    for (let start = 0; start < files.length; start += READ_BATCH) {
      throwIfAborted(ctx.signal);
      const batch = files.slice(start, start + READ_BATCH);
      const contents = await Promise.all(batch.map((file) => readSearchable(file.path)));
      batch.forEach((file, i) => {
        const lines = contents[i];
        if (lines) collect(file.path, lines);
      });
    }
    return report(input, ctx, target, { entries, shown: shownEntries, total: totalEntries, matchedFiles, denied, limit, charCapped });

    function collect(file: string, lines: string[]): void {
      const hits = matchingLines(lines, pattern, input.multiline);
      if (hits.length === 0) return;
      matchedFiles++;
      const produced = render(input, file, lines, hits);
      totalEntries += produced.filter((entry) => entry !== GROUP_SEPARATOR).length;
      // A separator is printed with the line after it, so output never ends on one.
      let separated = false;
      for (const entry of produced) {
        if (entry === GROUP_SEPARATOR) {
          separated = true;
          continue;
        }
        if (shownEntries >= limit || charCapped) break;
        const printed = separated ? [GROUP_SEPARATOR, entry] : [entry];
        const size = printed.reduce((sum, line) => sum + line.length + 1, 0);
        if (chars + size > GREP_MAX_CHARS) {
          charCapped = true;
          break;
        }
        entries.push(...printed);
        chars += size;
        shownEntries++;
        separated = false;
      }
    }
  },
});

function root(input: GrepInput, ctx: ToolContext): string {
  return input.path === undefined ? ctx.cwd() : resolveToolPath(ctx, input.path);
}

/**
 * ripgrep's `--glob`: a pattern without a slash matches the file name at any depth. On Windows `\`
 * separates folders in it, as in ripgrep there and the Glob tool (globby reads `\` as an escape).
 */
export function grepGlobPatterns(glob: string | undefined, platform: NodeJS.Platform = process.platform): string[] {
  if (glob === undefined) return ["**"];
  const written = platform === "win32" ? glob.replace(/\\/g, "/") : glob;
  const negated = written.startsWith("!");
  const body = negated ? written.slice(1) : written;
  const anchored = body.includes("/") ? body.replace(/^\//, "") : `**/${body}`;
  return negated ? ["**", `!${anchored}`] : [anchored];
}

async function readSearchable(file: string): Promise<string[] | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  // A FIFO or a device (a symlink can point at one) would block or never end.
  if (!stat?.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
  const bytes = await fs.readFile(file).catch(() => undefined);
  // A NUL byte anywhere, not only in the head, makes a file binary (as ripgrep judges).
  if (!bytes || looksBinary(bytes) || bytes.includes(0)) return undefined;
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function render(input: GrepInput, file: string, lines: string[], hits: number[]): string[] {
  if (input.output_mode === "files_with_matches") return [file];
  if (input.output_mode === "count") return [`${file}:${hits.length}`];
  const before = input["-B"] ?? input["-C"] ?? 0;
  const after = input["-A"] ?? input["-C"] ?? 0;
  return withContext(lines.length, hits, before, after).map((entry) => {
    if (entry === "break") return GROUP_SEPARATOR;
    const raw = lines[entry.line] ?? "";
    const text = raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)}… [line cut: ${raw.length} characters]` : raw;
    const sep = entry.match ? ":" : "-";
    return input["-n"] ? `${file}${sep}${entry.line + 1}${sep}${text}` : `${file}${sep}${text}`;
  });
}

interface Findings {
  /** The lines printed, group separators included. */
  entries: string[];
  /** Entries (files, lines or counts) printed; separators are not entries. */
  shown: number;
  /** Entries found in all. */
  total: number;
  matchedFiles: number;
  /** Files left out because the permission rules deny Grep them. */
  denied: number;
  limit: number;
  charCapped: boolean;
}

function report(input: GrepInput, ctx: ToolContext, target: string, found: Findings): ReturnType<typeof okResult> {
  const { entries, shown, total, matchedFiles, denied, limit, charCapped } = found;
  const where = displayPath(ctx, target);
  const data = { kind: "grep", mode: input.output_mode, entries, shown, total, files: matchedFiles, denied };
  const deniedText = deniedNote("Grep", denied);
  const leftOut = denied > 0 ? ` (${denied} denied file${denied === 1 ? "" : "s"} left out)` : "";
  if (matchedFiles === 0) {
    const text = [`No matches for ${JSON.stringify(input.pattern)} in ${target}.`, ...(deniedText ? [deniedText] : [])].join("\n");
    return okResult(text, { display: `No matches in ${where}${leftOut}`, data });
  }
  const notes: string[] = [];
  if (charCapped) notes.push(`[Output cut at ${GREP_MAX_CHARS} characters; ${shown} of ${total} entries shown. Narrow the search with glob or path, or use head_limit.]`);
  else if (shown < total) notes.push(`[${shown} of ${total} entries shown (head_limit ${limit}). Narrow the search or raise head_limit.]`);
  if (deniedText) notes.push(deniedText);
  const unit = input.output_mode === "content" ? "matching lines in " : "";
  const display = `Found ${unit}${matchedFiles} file${matchedFiles === 1 ? "" : "s"} in ${where}${leftOut}`;
  return okResult([...entries, ...notes].join("\n"), { display, data });
}
