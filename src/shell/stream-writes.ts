import type { Cmd, Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import type { Ctx } from "./evaluate-context.js";
import { before, joined, put, sourceContent, stdinContent, type Content } from "./written-content.js";

/**
 * Files a command fills with what it reads, remembered as `cp` is (see `written-content.ts`):
 * `dd of=x.sh` (or dd's standard output sent to a file) holds what dd reads from `if=` or its
 * standard input; `cat a.sh b.sh > x.sh` the files cat reads, standard input where it reads that.
 */
export function recordStreamWrites(name: string, args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  if (name === "dd") ddWrites(args, cmd, upstream, ctx);
  else if (name === "cat") catWrites(args, cmd, upstream, ctx);
}

/** The files a command's standard output is sent to whole (`> x.sh`, `>| x.sh`); an append's text is not known. */
function stdoutFiles(cmd: Cmd): Word[] {
  return cmd.redirects.filter((r) => (r.op === ">" || r.op === ">|") && (r.fd ?? 1) === 1).map((r) => r.target);
}

/** What a command that changes or adds to what it copies leaves: unknown text, still a download where one reaches it. */
function changed(content: Content): Content {
  return "was" in content ? content : { text: undefined, downloaded: content.downloaded };
}

/** dd operands that leave what dd copies as it is. */
const DD_PLAIN = new Set(["bs", "ibs", "obs", "cbs", "status", "iflag"]);
/** `conv=` values that leave what dd copies as it is. */
const DD_PLAIN_CONV = new Set(["fsync", "fdatasync", "excl", "nocreat", "noerror", "sparse"]);

/** `dd [if=SRC] [of=DEST] …`: DEST holds SRC's text; skip, seek, count, conversions and appends leave it unknown. */
function ddWrites(args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  let source: Word | undefined;
  let dest: Word | undefined;
  let altered = false;
  for (const w of args) {
    const at = w.text.indexOf("=");
    const key = at < 0 ? undefined : w.text.slice(0, at);
    if (key === undefined || key.includes(RUN_TIME)) {
      altered = true;
      continue;
    }
    const text = w.text.slice(at + 1);
    const value: Word = { text, dynamic: text.includes(RUN_TIME), glob: false, subs: w.subs };
    if (key === "if") source = value;
    else if (key === "of") dest = value;
    else if (key === "conv") altered ||= value.dynamic || text.split(",").some((c) => !DD_PLAIN_CONV.has(c));
    else if (key === "oflag") altered ||= value.dynamic || text.split(",").includes("append");
    else if (!DD_PLAIN.has(key)) altered = true;
  }
  const files = dest ? [dest] : stdoutFiles(cmd);
  if (files.length === 0) return;
  const then = before(ctx);
  const read = source ? sourceContent(source, then, cmd, upstream, ctx) : stdinContent(cmd, upstream, then, ctx);
  for (const file of files) put(file, altered ? changed(read) : read, ctx);
}

/** `cat [-u] [FILE…] > DEST`: DEST holds the files one after another (`-` or none: standard input); other options change the text. */
function catWrites(args: readonly Word[], cmd: Cmd, upstream: readonly Cmd[], ctx: Ctx): void {
  const files = stdoutFiles(cmd);
  if (files.length === 0) return;
  const operands: Word[] = [];
  let altered = false;
  let options = true;
  for (const w of args) {
    if (options && !w.dynamic && w.text === "--") options = false;
    else if (options && !w.dynamic && /^-./.test(w.text)) altered ||= w.text !== "-u";
    else operands.push(w);
  }
  const then = before(ctx);
  const reads = operands.length === 0 ? [stdinContent(cmd, upstream, then, ctx)] : operands.map((w) => sourceContent(w, then, cmd, upstream, ctx));
  const read = joined(reads, ctx);
  for (const file of files) put(file, altered ? changed(read) : read, ctx);
}
