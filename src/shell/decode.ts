import { createRequire } from "node:module";
import type * as zlibModule from "node:zlib";
import type { Cmd, Script, Unit, Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { commandName } from "./downloads.js";
import { echoReadings } from "./echo-output.js";
import type { ShellKind } from "./types.js";

/**
 * What a pipeline writes, worked out from its literal parts: `echo`/`printf`/here-strings produce
 * text, and decoders (base64, hex, rot13 with `tr`, `rev`, gzip) transform it, so that
 * `echo cm0gLXJmIC8= | base64 -d | sh` is judged as `rm -rf /`.
 */
export interface Produced {
  /** The text, or undefined when some stage's output cannot be known. */
  text?: string;
  /** A decoding step was involved: the text was hidden on purpose. */
  decoded: boolean;
  /**
   * Other texts it may write, where the shell's build decides what `echo` writes (bash built with
   * xpg_echo decodes backslashes; `sh` may be dash or bash): each is to be judged like `text`.
   */
  otherwise?: string[];
  /** Some way it may run writes text that cannot be known, though `text` is one it may write. */
  partlyUnknown?: boolean;
}

/** Each text a pipeline may write: its text and those the shell's build may write instead; none where unknown. */
export function textsOf(produced: Produced): string[] {
  return produced.text === undefined ? [] : [produced.text, ...(produced.otherwise ?? [])];
}

/** Bytes are carried as latin1 strings between stages, so binary from a decoder survives. */
function bytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** The text a shell would read from latin1-carried bytes. */
export function asUtf8(text: string): string {
  return bytes(text).toString("utf8");
}

function literal(words: readonly Word[]): string | undefined {
  return words.some((w) => w.dynamic) ? undefined : words.map((w) => w.text).join(" ");
}

/** `\n`, `\t`, `\xHH`, `\NNN` (octal), `\uHHHH`: the escapes of printf, `echo -e` and `print`. */
export function decodeEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|0?[0-7]{1,3}|.)/gs, (_, e: string) => {
    if ((e.startsWith("x") || e.startsWith("u")) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", e: "\x1b", f: "\f", v: "\v", "\\": "\\" } as Record<string, string>)[e] ?? `\\${e}`;
  });
}

/** printf's format with its arguments: `%s` and `%b` take the next argument, escapes are decoded. */
function printf(args: readonly string[]): string {
  const [format = "", ...rest] = args;
  let i = 0;
  const once = (): string =>
    decodeEscapes(format).replace(/%([sbdc%])/g, (_, f: string) => {
      if (f === "%") return "%";
      const arg = rest[i++] ?? "";
      return f === "b" ? decodeEscapes(arg) : arg;
    });
  let out = once();
  // printf repeats its format while arguments are left and the last pass took some: a format with
  // no conversion is written once, as bash, zsh and dash do (`printf build a b` writes `build`).
  for (let guard = 0, before = 0; i < rest.length && i > before && guard < 64; guard++) {
    before = i;
    out += once();
  }
  return out;
}

function options(args: readonly Word[]): string[] {
  return args.filter((w) => !w.dynamic && /^-/.test(w.text)).map((w) => w.text);
}

function has(opts: readonly string[], short: string, long?: string): boolean {
  return opts.some((o) => o === long || (o.startsWith("-") && !o.startsWith("--") && o.includes(short)));
}

/** Expands `tr` sets: ranges (`a-z`) and escapes. */
function trSet(set: string): string {
  const s = decodeEscapes(set);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const a = s[i] ?? "";
    const b = s[i + 2];
    if (s[i + 1] === "-" && b !== undefined) {
      for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += a;
  }
  return out;
}

function tr(input: string, from: string, to: string): string {
  const a = trSet(from);
  const b = trSet(to);
  const map = new Map<string, string>();
  for (let i = 0; i < a.length; i++) map.set(a[i] ?? "", b[Math.min(i, b.length - 1)] ?? "");
  return [...input].map((c) => map.get(c) ?? c).join("");
}

/** `xxd -r`: plain hex with -p, else a hex dump (offset, hex columns, then text). */
function unhex(input: string, plain: boolean): string | undefined {
  const hex = plain
    ? input.replace(/\s+/g, "")
    : input
        .split("\n")
        .map((line) => (line.replace(/^[0-9a-fA-F]+:\s*/, "").split(/\s{2,}/)[0] ?? "").replace(/\s+/g, ""))
        .join("");
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  return Buffer.from(hex, "hex").toString("latin1");
}

function unbase64(input: string): string | undefined {
  const clean = input.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) return undefined;
  return Buffer.from(clean, "base64").toString("latin1");
}

let zlib: typeof zlibModule | undefined;

/**
 * node:zlib, loaded the first time a command holds a compressed payload: loading it costs
 * `wren cmd --check` milliseconds on every command, and few commands need it.
 */
function loadZlib(): typeof zlibModule {
  zlib ??= createRequire(import.meta.url)("node:zlib") as typeof zlibModule;
  return zlib;
}

function inflate(input: string): string | undefined {
  const { gunzipSync, inflateSync } = loadZlib();
  for (const f of [gunzipSync, inflateSync]) {
    try {
      return f(bytes(input)).toString("latin1");
    } catch {
      // not this format
    }
  }
  return undefined;
}

/**
 * A stage's own output, when it is a literal writer: each text it may write (one, but for `echo` in
 * a shell whose build decides), an undefined one where that text cannot be known.
 */
function source(cmd: Cmd, powershell: boolean, shell: ShellKind | undefined): (string | undefined)[] | undefined {
  const first = cmd.argv[0];
  if (first && !first.dynamic && !cmd.expression && (shell === "bash" || shell === "zsh" || shell === "sh") && commandName(first.text, false) === "echo") {
    const words = cmd.argv.slice(1);
    return words.some((w) => w.dynamic) ? undefined : echoReadings(words.map((w) => w.text), shell);
  }
  if (!powershell && !cmd.expression && cmd.argv.length === 0 && cmd.body) {
    // `{ echo …; } | bash`, `(…)`, fish's `begin; …; end`: what the commands inside write.
    return blockReadings(cmd.body, shell);
  }
  const own = looseSource(cmd, powershell);
  return own === undefined ? undefined : [own];
}

/** The first stage's own output, when it is a literal writer, read loosely where the shell is not known. */
function looseSource(cmd: Cmd, powershell: boolean): string | undefined {
  const first = cmd.argv[0];
  if (cmd.expression && cmd.body) return powershell ? blockOutput(cmd.body, true) : undefined;
  if (!first) return undefined;
  if (cmd.expression) return cmd.argv.length === 1 && first.subs.length === 0 && !first.dynamic ? first.text : undefined;
  if (first.dynamic) return undefined;
  const name = commandName(first.text, powershell);
  const args = cmd.argv.slice(1);
  if (name === "echo" || name === "print") {
    const opts = args.filter((w) => !w.dynamic && /^-[neEr]+$/.test(w.text)).map((w) => w.text);
    const text = literal(args.slice(opts.length));
    if (text === undefined) return undefined;
    const escapes = opts.some((o) => o.includes("e")) || name === "print";
    const body = escapes ? decodeEscapes(text) : text.replace(/\\n/g, "\n");
    return opts.some((o) => o.includes("n")) ? body : `${body}\n`;
  }
  if (name === "printf") {
    const rest = args[0]?.text === "--" ? args.slice(1) : args;
    return rest.some((w) => w.dynamic) ? undefined : printf(rest.map((w) => w.text));
  }
  if (["write-output", "write-host"].includes(name)) {
    const text = literal(args.filter((w) => !w.param));
    return text === undefined ? undefined : `${text}\n`;
  }
  if (name === "cat" && cmd.stdinText && args.length === 0) return cmd.stdinText.dynamic ? undefined : cmd.stdinText.text;
  // A condition writes nothing to its output (`if true; then …`, `while read -r l; do …`).
  // fish's `read --prompt CMD` shows what CMD writes.
  if (!powershell && SILENT.has(name) && !(name === "read" && args.some((w) => w.dynamic || /^(-[A-Za-z]*[pP]|--prompt)/.test(w.text)))) return "";
  return undefined;
}

/** POSIX and fish builtins that write nothing to their standard output: `test` and `read` write only errors or a prompt, to standard error. */
const SILENT = new Set(["true", "false", ":", "test", "[", "read"]);

/**
 * What a block writes: a PowerShell script block run with `&` or `.` (`& { 'rm -rf ~' }`), or the
 * commands of a compound command or subshell (`{ echo …; }`): the output of each of its statements,
 * one after another, where each is a pipeline whose text is known and plain, one text however the
 * shell is built.
 */
function blockOutput(body: Script, powershell: boolean, shell?: ShellKind): string | undefined {
  let text = "";
  for (const [i, unit] of body.units.entries()) {
    if (unit.kind === "line" || (!powershell && unit.kind === "scope") || (powershell && unit.kind === "expand" && runsBlocks(unit.words, body.units[i + 1]))) continue;
    if (unit.kind !== "pipeline" || unit.stages.some((c) => c.redirects.length > 0 || c.background)) return undefined;
    const produced = pipelineOutput(unit.stages, powershell, shell);
    if (produced.text === undefined || produced.decoded || produced.otherwise || produced.partlyUnknown) return undefined;
    // PowerShell: each statement's output goes on a line of its own, as a string piped to a program does.
    if (powershell && text !== "" && !text.endsWith("\n")) text += "\n";
    text += produced.text;
  }
  return text;
}

/** More readings of a block than this leave what it writes unknown. */
const MAX_BLOCK_READINGS = 16;

/**
 * Each text a POSIX shell's or fish's block may write (`{ echo …; }`, `if …; then …; fi`): its
 * pipelines' texts one after another, each as the shell's build may write it (`{ echo 'rm -rf
 * \057'; }`); a branch, a later command of `&&` or `||` and a loop's body (the `maybe` units) may
 * write nothing, their text, or, as a loop's body may run again, two of their texts (which stand for
 * more). An undefined reading is text wren cannot know; undefined when none can be worked out.
 */
function blockReadings(body: Script, shell: ShellKind | undefined): (string | undefined)[] | undefined {
  const texts = unitsReadings(body.units, shell);
  return texts === undefined || texts.every((t) => t === undefined) ? undefined : texts;
}

function unitsReadings(units: readonly Unit[], shell: ShellKind | undefined): (string | undefined)[] | undefined {
  let texts: (string | undefined)[] = [""];
  // Checked before the texts are joined, so a long text in nested loops is not copied thousands of times.
  const then = (more: readonly (string | undefined)[]): boolean => {
    if (texts.length * more.length > MAX_BLOCK_READINGS) return false;
    texts = [...new Set(texts.flatMap((t) => more.map((m) => (t === undefined || m === undefined ? undefined : t + m))))];
    return true;
  };
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    // Words expanded outside a command (`case $x in`, `[[ … ]]`, a loop's list) and assignments (a
    // loop's variable) write nothing, unless a substitution among them runs; a variable used later is
    // a value only known at run time here.
    const silent = (unit?.kind === "expand" && unit.words.every((w) => w.subs.length === 0)) || (unit?.kind === "assign" && !unit.source && (unit.value?.subs.length ?? 0) === 0);
    if (!unit || unit.kind === "line" || unit.kind === "scope" || silent) continue;
    if (unit.kind === "maybe") {
      const end = maybeEnd(units, i);
      const inner = unit.edge === "start" && end !== undefined ? unitsReadings(units.slice(i + 1, end), shell) : undefined;
      if (!inner) return undefined;
      // Again adds nothing new where the body writes nothing or one text of whole lines.
      const written = inner.filter((t) => t !== "");
      const once = written.length === 0 || (written.length === 1 && written[0]?.endsWith("\n") === true);
      if (!once && inner.length * inner.length > MAX_BLOCK_READINGS) return undefined;
      const again = once ? [] : inner.flatMap((a) => inner.map((b) => (a === undefined || b === undefined ? undefined : a + b)));
      if (!then(["", ...inner, ...again])) return undefined;
      i = end ?? i;
      continue;
    }
    if (unit.kind !== "pipeline" || unit.stages.some((c) => c.redirects.length > 0 || c.background)) return undefined;
    const produced = pipelineOutput(unit.stages, false, shell);
    if (produced.text === undefined || produced.decoded) return undefined;
    if (!then([...textsOf(produced), ...(produced.partlyUnknown ? [undefined] : [])])) return undefined;
  }
  return texts;
}

/** The index of the `maybe` end that closes the one starting at `start`. */
function maybeEnd(units: readonly Unit[], start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < units.length; i++) {
    const u = units[i];
    if (u?.kind !== "maybe") continue;
    depth += u.edge === "start" ? 1 : -1;
    if (depth === 0) return i;
  }
  return undefined;
}

/** Whether `words` are only the script blocks that stages of `next` run (`& { … }`), read as those stages' output there. */
function runsBlocks(words: readonly Word[], next: Unit | undefined): boolean {
  const blocks = next?.kind === "pipeline" ? next.stages.flatMap((c) => (c.body ? [c.body] : [])) : [];
  return words.every((w) => w.subs.length === 1 && blocks.includes(w.subs[0] as Script));
}

/** What a stage makes of its input, or undefined when it is not a known transformation. */
function transform(cmd: Cmd, input: string, powershell: boolean): Produced | undefined {
  const first = cmd.argv[0];
  if (!first || first.dynamic) return undefined;
  const name = commandName(first.text, powershell);
  const args = cmd.argv.slice(1);
  const opts = options(args);
  const decoded = (text: string | undefined): Produced => (text === undefined ? { decoded: true } : { text, decoded: true });
  if (["base64", "base32", "basenc", "gbase64"].includes(name) && (has(opts, "d", "--decode") || opts.includes("-D"))) {
    return decoded(name === "base32" ? undefined : unbase64(input));
  }
  if (name === "openssl" && args.some((w) => ["base64", "enc"].includes(w.text)) && opts.includes("-d")) {
    return decoded(args.some((w) => w.text === "base64" || w.text === "-base64" || w.text === "-a") ? unbase64(input) : undefined);
  }
  if (name === "xxd" && has(opts, "r", "-revert")) return decoded(unhex(input, has(opts, "p", "-plain") || opts.includes("-ps")));
  if (name === "tr" && opts.length === 0 && args.length === 2 && !args.some((w) => w.dynamic)) {
    return decoded(tr(input, args[0]?.text ?? "", args[1]?.text ?? ""));
  }
  if (name === "rev" && args.length === 0) return decoded(input.split("\n").map((l) => [...l].reverse().join("")).join("\n"));
  if ((name === "gunzip" || name === "zcat" || (name === "gzip" && has(opts, "d", "--decompress")) || name === "zlib-flate") && operandsOf(args).length === 0) {
    return decoded(inflate(input));
  }
  if (["bunzip2", "bzcat", "xz", "unxz", "xzcat", "lzma", "zstd", "unzstd", "uudecode", "gpg", "age"].includes(name) || (name === "openssl" && opts.includes("-d"))) {
    return { decoded: true };
  }
  if ((name === "cat" || name === "tee") && operandsOf(args).length === 0) return { text: input, decoded: false };
  if (name === "tee") return { text: input, decoded: false };
  return undefined;
}

function operandsOf(args: readonly Word[]): Word[] {
  return args.filter((w) => w.dynamic || !w.text.startsWith("-"));
}

/**
 * What the pipeline's last stage writes, as far as its literal parts tell. Given the session's
 * shell, `echo` is read as that shell writes it; without, loosely (escapes only with `-e`, but `\n`).
 */
export function pipelineOutput(stages: readonly Cmd[], powershell: boolean, shell?: ShellKind): Produced {
  // One state for each text the stages so far may write (several where echo's reading depends on the shell's build).
  let states: Produced[] = [{ decoded: false }];
  stages.forEach((stage, i) => {
    const own = i === 0 || stage.stdinText ? source(stage, powershell, shell) : undefined;
    if (own !== undefined) {
      const decoded = states.some((s) => s.decoded);
      states = own.map((text) => (text === undefined ? { decoded } : { text, decoded }));
      return;
    }
    states = states.map((produced) => {
      const input = stage.stdinText ? (stage.stdinText.dynamic ? undefined : `${stage.stdinText.text}\n`) : i === 0 ? undefined : produced.text;
      // Still note a decoder on unknown input: what it hides cannot be read.
      const t = transform(stage, input ?? "", powershell);
      if (input === undefined) return { decoded: produced.decoded || (t?.decoded ?? false) };
      return t ? { ...t, decoded: produced.decoded || t.decoded } : { decoded: produced.decoded };
    });
  });
  return combined(states);
}

/** The states' texts as one answer: the first known text, the others it may write, and whether some cannot be known. */
function combined(states: readonly Produced[]): Produced {
  const decoded = states.some((s) => s.decoded);
  const texts = [...new Set(states.flatMap((s) => (s.text === undefined ? [] : [s.text])))];
  const [text, ...otherwise] = texts;
  if (text === undefined) return { decoded };
  const produced: Produced = { text, decoded };
  if (otherwise.length > 0) produced.otherwise = otherwise;
  if (states.some((s) => s.text === undefined)) produced.partlyUnknown = true;
  return produced;
}

/** The output of a word that is exactly one command substitution (`"$(…)"`), when it can be worked out. */
export function substitutionOutput(word: Word, powershell: boolean, shell?: ShellKind): Produced | undefined {
  if (word.text !== RUN_TIME || word.subs.length !== 1 || word.processSub) return undefined;
  const script: Script | undefined = word.subs[0];
  const units = script?.units ?? [];
  const only = units.length === 1 ? units[0] : undefined;
  if (only?.kind !== "pipeline") return undefined;
  return pipelineOutput(only.stages, powershell, shell);
}
