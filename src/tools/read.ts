import { createReadStream, type Stats } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";
import { z } from "zod";
import { approvedTarget, openChecked } from "./approved-path.js";
import { defineTool } from "./define-tool.js";
import { describeFile, describeInWords } from "./describe-file.js";
import { notRegularFile, specialFileKind } from "./file-kind.js";
import { errorResult, okResult } from "./result.js";
import { displayPath, resolveToolPath } from "./resolve-path.js";
import { looksBinary, textIsBinary } from "./text-file.js";
import type { ToolContext, ToolResult } from "./tool.js";

/** Lines shown when the model gives no `limit`. */
export const READ_DEFAULT_LIMIT = 2000;
/** Longer lines are cut here (minified files would otherwise flood the context). */
export const READ_MAX_LINE_CHARS = 2000;
/** Characters returned at most, whatever the limit (a window of long lines can still be huge). */
export const READ_MAX_CHARS = 100_000;
/** Enough of a file to find a JPEG's frame header behind its metadata. */
const HEAD_BYTES = 512 * 1024;

const parameters = z.object({
  file_path: z.string().min(1).describe("The file to read: absolute, or relative to the working directory."),
  offset: z.number().int().min(1).optional().describe("The line number to start at (1 is the first line)."),
  limit: z.number().int().min(1).optional().describe(`How many lines to read (default ${READ_DEFAULT_LIMIT}).`),
});

export const readTool = defineTool({
  name: "Read",
  description:
    "Reads a file from the local filesystem. The result has line numbers like `cat -n` (number, tab, line). " +
    `By default up to ${READ_DEFAULT_LIMIT} lines from the start; give offset and limit to read other parts of long files. ` +
    `Lines longer than ${READ_MAX_LINE_CHARS} characters are cut. Images and PDFs are described (type, size, dimensions), ` +
    "not dumped; other binary files are refused. Read a file before you Edit or Write it.",
  parameters,
  readOnly: true,
  permission: (input, ctx) => ({ tool: "Read", effect: "read", paths: [resolveToolPath(ctx, input.file_path)] }),
  async execute(input, ctx) {
    const file = resolveToolPath(ctx, input.file_path);
    const shown = displayPath(ctx, file);
    const target = approvedTarget(ctx, file, "Read");
    if (!target.ok) return target.result;
    const stat = await fs.stat(target.path).catch((error: NodeJS.ErrnoException) => error);
    if (stat instanceof Error) {
      return stat.code === "ENOENT"
        ? errorResult(`File not found: ${file}.`, "Check the path; Glob finds files by name.")
        : errorResult(`Cannot read ${file}: ${stat.message}.`);
    }
    if (stat.isDirectory()) return errorResult(`${file} is a directory, not a file.`, "Use Glob to list files in it.");
    const special = specialFileKind(stat);
    if (special) {
      return errorResult(`${notRegularFile(file, special)}; Read shows regular files only.`, "Reading it could wait forever or never end; use Bash with a timeout if you must read from it.");
    }

    // Opened once, and checked to be the file just looked at: what was approved is what is read.
    const handle = await openChecked(target.path, stat);
    try {
      return await readOpened(ctx, input, file, shown, stat, handle);
    } finally {
      await handle.close();
    }
  },
});

/** Read's answer from the file opened: a description, a refusal, or a window of numbered lines. */
async function readOpened(ctx: ToolContext, input: z.output<typeof parameters>, file: string, shown: string, stat: Stats, handle: FileHandle): Promise<ToolResult> {
  const head = await readHead(handle, HEAD_BYTES);
  const description = await describeFile(head, stat.size);
  if (description) {
    ctx.files?.record(file, stat);
    const pdfVersion = description.kind === "pdf" ? /^%PDF-(\d+\.\d+)/.exec(Buffer.from(head.subarray(0, 16)).toString("latin1"))?.[1] : undefined;
    const words = describeInWords(description, pdfVersion);
    return okResult(`${file}: ${words}`, { display: `${shown}: ${words}`, data: { path: file, ...description } });
  }
  if (looksBinary(head)) {
    return errorResult(`${file} is a binary file (${stat.size} bytes); Read shows text files only.`, "Use Bash with a tool made for this format if you need its contents.");
  }

  const offset = input.offset ?? 1;
  const limit = input.limit ?? READ_DEFAULT_LIMIT;
  const window = await readLines(handle, offset, limit, ctx.signal);
  // The head said text; the lines returned are judged too, all of them (at most a window's worth):
  // a file can be text for its first kilobytes and binary after them.
  const nul = window.lines.findIndex((line) => line.text.includes("\0"));
  if (nul === 0 || (nul === -1 && textIsBinary(window.lines.map((line) => line.text).join("\n")))) {
    return errorResult(
      `${file} is binary from line ${offset} on (${stat.size} bytes); Read shows text only.`,
      offset > 1 ? "Read an earlier part of it, or use Bash with a tool made for this format." : "Use Bash with a tool made for this format if you need its contents.",
    );
  }
  let binaryFrom: number | undefined;
  if (nul > 0) {
    binaryFrom = offset + nul;
    window.lines.length = nul;
    window.more = false;
  }
  ctx.files?.record(file, stat);
  if (window.lines.length === 0) {
    if (window.total === 0) return okResult(`${file} is empty.`, { display: `${shown} (empty)`, data: readData(file, offset, 0, false) });
    return errorResult(`${file} has ${window.total} lines; offset ${offset} is past the end.`, "Read from a smaller offset.");
  }
  const numbered: string[] = [];
  let chars = 0;
  for (const [i, line] of window.lines.entries()) {
    const cut = line.length > READ_MAX_LINE_CHARS ? `${line.text.slice(0, READ_MAX_LINE_CHARS)}… [line cut: ${line.length} characters]` : line.text;
    const entry = `${String(offset + i).padStart(6)}\t${cut}`;
    if (numbered.length > 0 && chars + entry.length > READ_MAX_CHARS) break;
    numbered.push(entry);
    chars += entry.length + 1;
  }
  const more = window.more || numbered.length < window.lines.length;
  const last = offset + numbered.length - 1;
  const note = binaryFrom !== undefined && numbered.length === window.lines.length
    ? `\n\n[Line ${binaryFrom} holds binary data (a NUL byte): the file is not text from there on, so nothing after line ${last} is shown.]`
    : more
      ? `\n\n[Showing lines ${offset}–${last}. The file goes on: Read with offset ${last + 1} for more.]`
      : "";
  return okResult(`${numbered.join("\n")}${note}`, {
    display: `Read ${numbered.length} line${numbered.length === 1 ? "" : "s"} of ${shown}${more ? " (more follow)" : ""}`,
    data: readData(file, offset, numbered.length, more),
  });
}

function readData(file: string, offset: number, lines: number, more: boolean): Record<string, unknown> {
  return { kind: "text", path: file, startLine: offset, lines, more };
}

async function readHead(handle: FileHandle, bytes: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(bytes);
  const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
  return buffer.subarray(0, bytesRead);
}

/** A line of the window: its first characters (at most READ_MAX_LINE_CHARS + 1) and its whole length. */
interface WindowLine {
  text: string;
  length: number;
}

/**
 * The lines [offset, offset + limit) of a file, streamed so a huge log costs only the window, and
 * a huge line only its head: a line is kept to READ_MAX_LINE_CHARS + 1 characters and counted
 * beyond them (a 600 MB file of one line would not fit in a string at all). Lines end as
 * readline ends them: at `\n`, `\r\n` or a lone `\r`. `more` says whether a line follows the
 * window; `total` is the line count when the end was reached.
 */
async function readLines(handle: FileHandle, offset: number, limit: number, signal: AbortSignal): Promise<{ lines: WindowLine[]; more: boolean; total: number }> {
  // From the start whatever the head read did; the handle stays open for the caller to close.
  const stream = createReadStream("", { fd: handle, autoClose: false, start: 0, encoding: "utf8", signal });
  const lines: WindowLine[] = [];
  const keep = READ_MAX_LINE_CHARS + 1;
  let n = 0;
  let head = "";
  let length = 0;
  let afterCR = false;
  let more = false;
  const inWindow = (): boolean => n + 1 >= offset;
  /** Ends the line being read; false once a line past the window has been seen. */
  const endLine = (): boolean => {
    n++;
    if (n >= offset) {
      if (lines.length === limit) {
        more = true;
        return false;
      }
      const bom = n === 1 && head.startsWith("\uFEFF");
      lines.push({ text: bom ? head.slice(1) : head, length: bom ? length - 1 : length });
    }
    head = "";
    length = 0;
    return true;
  };
  const breaks = /\r\n|\r|\n/g;
  try {
    reading: for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      // A "\r" that ended the previous chunk and this chunk's "\n" are one line break.
      if (afterCR && chunk.startsWith("\n")) start = 1;
      afterCR = false;
      breaks.lastIndex = start;
      for (let found = breaks.exec(chunk); found; found = breaks.exec(chunk)) {
        if (inWindow()) {
          if (head.length < keep) head += chunk.slice(start, Math.min(found.index, start + keep - head.length));
          length += found.index - start;
        }
        start = found.index + found[0].length;
        if (found[0] === "\r" && start === chunk.length) afterCR = true;
        if (!endLine()) break reading;
      }
      if (inWindow() && start < chunk.length) {
        if (head.length < keep) head += chunk.slice(start, Math.min(chunk.length, start + keep - head.length));
        length += chunk.length - start;
      }
    }
    if (!more && length > 0) endLine();
  } finally {
    stream.destroy();
  }
  return { lines, more, total: n };
}
