import { isUtf8 } from "node:buffer";

/** How much of the content is judged: git looks at the first 8000 bytes. */
const SAMPLE = 8000;
/** Tab, line feed, vertical tab, form feed, carriage return, backspace and escape (terminal colours). */
const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x08, 0x1b]);

/**
 * Whether content is binary rather than text, judged on its first 8000 bytes (or characters, for
 * text already decoded): git's test, a NUL byte, or more than a quarter of it not text (bytes that
 * are not UTF-8, which decode as U+FFFD, and control characters other than tab, line breaks, form
 * feed, backspace and escape). A Latin-1 file with a few accents stays text; random bytes are not.
 * Read, Edit, Grep, Bash's output and WebFetch's bodies all go by this one judgement.
 */
export function looksBinary(content: Uint8Array | string): boolean {
  const sample = typeof content === "string" ? content.slice(0, SAMPLE) : new TextDecoder().decode(content.subarray(0, SAMPLE));
  return judgedBinary(sample);
}

/**
 * Whether decoded text is binary, judged on all of it (the same test as {@link looksBinary}, with
 * no sample): for what a tool is about to return, whose size the caller bounds.
 */
export function textIsBinary(text: string): boolean {
  return judgedBinary(text);
}

/** How a whole file's bytes stand for Edit and Write, which rewrite every byte of it. */
export type FileBytesVerdict = { kind: "text" } | { kind: "binary"; at: number } | { kind: "not-utf8"; at: number };

/**
 * Judges a whole file, not its head: a NUL byte anywhere makes it binary (as git and ripgrep
 * judge), and so does a head that {@link looksBinary}; bytes that are not UTF-8 anywhere make it
 * text that a rewrite would damage (they would decode as U+FFFD and be written back as such).
 * `at` is the byte offset of the first such byte. A memchr and a UTF-8 validation: about a
 * millisecond per 10 MB.
 */
export function judgeFileBytes(bytes: Uint8Array): FileBytesVerdict {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nul = buffer.indexOf(0);
  if (nul !== -1) return { kind: "binary", at: nul };
  if (looksBinary(buffer)) return { kind: "binary", at: 0 };
  if (isUtf8(buffer)) return { kind: "text" };
  return { kind: "not-utf8", at: firstInvalidUtf8(buffer) };
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence (only for bytes that are not UTF-8). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    if (length > 1 && !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}

function judgedBinary(sample: string): boolean {
  if (sample.length === 0) return false;
  let notText = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code === 0) return true;
    if (code === 0xfffd || code === 0x7f || (code < 0x20 && !ALLOWED_CONTROLS.has(code))) notText++;
  }
  return notText * 4 > sample.length;
}


type Eol = "\n" | "\r\n";

/** A text file's content split from its encoding details, so a rewrite can keep them. */
export interface TextFile {
  /** The content with `\n` line endings and no byte-order mark. */
  text: string;
  /** The file's line ending: the more common one. */
  eol: Eol;
  bom: boolean;
  /**
   * Only in a file with both kinds of line ending: each line's own, in order (one per `\n` of
   * `text`), so a change keeps those of the lines it leaves as they were.
   */
  lineEnds?: Eol[];
}

export function decodeText(bytes: Uint8Array): TextFile {
  let text = Buffer.from(bytes).toString("utf8");
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  const eol = crlf > lf ? "\r\n" : "\n";
  const lineEnds = crlf > 0 && lf > 0 ? Array.from(text.matchAll(/\r?\n/g), (m) => m[0] as Eol) : undefined;
  return { text: text.replace(/\r\n/g, "\n"), eol, bom, ...(lineEnds ? { lineEnds } : {}) };
}

/** One run of `diffArrays` (the `diff` package's), as far as {@link encodeChange} reads it. */
export interface LineChange {
  added?: boolean;
  removed?: boolean;
  value: string[];
}

/**
 * `text`, the new content of `before`, as it goes to disk. In a file with both kinds of line
 * ending, lines left as they were keep their own ending and a changed line takes that of the line
 * it replaces (new lines beyond those take the ending of the line before them),
 * so an edit changes no byte outside what it replaced. `diffLines` compares line arrays
 * (`diffArrays` of the `diff` package, loaded by the caller).
 */
export function encodeChange(before: TextFile | undefined, after: TextFile, diffLines: (a: string[], b: string[]) => LineChange[]): string {
  const ends = before?.lineEnds;
  if (!before || !ends) return encodeText(after);
  const lines = after.text.split("\n");
  const out: string[] = [];
  let oldLine = 0;
  // Between two unchanged runs: the endings of the lines removed, handed to the lines added in order.
  let replaced: Eol[] = [];
  let last: Eol | undefined;
  const put = (line: string, end: Eol): void => {
    out.push(out.length < lines.length - 1 ? line + end : line);
  };
  for (const change of diffLines(before.text.split("\n"), lines)) {
    if (change.removed) {
      replaced.push(...change.value.map((_, i) => ends[oldLine + i] ?? before.eol));
      oldLine += change.value.length;
    } else if (change.added) {
      for (const line of change.value) {
        last = replaced.shift() ?? last ?? before.eol;
        put(line, last);
      }
    } else {
      for (const line of change.value) put(line, ends[oldLine++] ?? before.eol);
      replaced = [];
      last = ends[oldLine - 1];
    }
  }
  const body = out.join("");
  return before.bom ? `\uFEFF${body}` : body;
}

/** The content as it goes to disk, in the file's line endings and with its byte-order mark. */
export function encodeText(file: TextFile): string {
  const body = file.eol === "\r\n" ? file.text.replace(/\r?\n/g, "\r\n") : file.text;
  return file.bom ? `\uFEFF${body}` : body;
}
