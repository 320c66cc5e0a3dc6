import path from "node:path";
import { bracketAt, bracketTest } from "./bracket-expression.js";
import { spellings, userHomes, type PathBases, type PathPattern } from "./path-pattern.js";
import { RUN_TIME } from "../shell/ir.js";

/**
 * Whether a path a shell command reads, known only as a pattern, may be a path a deny rule names:
 * `cat .en*`, `cat "$DIR/.env"`, `grep -r KEY src` against `Read(**\/.env)`. Both sides become
 * patterns over absolute paths, and the answer is whether one path can match both. `decide` stays
 * pure: no file system is listed, so "may" means "some file could be named so".
 */

/**
 * One character of a path (a literal, `?`, `[…]`), a run of characters within a name, any text at
 * all, or where a name begins with a wildcard in the shell: it cannot begin with a dot there.
 */
type Token = { kind: "char"; test: (c: string) => boolean; lit?: string } | { kind: "star" } | { kind: "any" } | { kind: "no-dot" };

/** A pattern as written, with the two optional parts globs have: `**\/` (no folder or some) and a folder's contents. */
type Piece = Token | { kind: "dirs" } | { kind: "below" };

/** The text of a path a command reads: shell glob characters count where `glob` says so, `RUN_TIME` is a run-time value. */
export interface ReadPattern {
  /** Absolute, or starting with `RUN_TIME` (a run-time value that may be absolute). */
  text: string;
  /** `*`, `?` and `[…]` are glob characters (the word had unquoted ones). */
  glob: boolean;
  /** The shell's `*` and `?` match a leading dot (PowerShell, or bash with dotglob on). */
  dotglob: boolean;
  /** A folder searched or copied whole (`grep -r`, `cp -r`): anything below it is read too. */
  recursive: boolean;
}

/** Whether some path matches both the read and the deny rule's pattern (which also covers what is below a folder it names). */
export function mayReach(read: ReadPattern, deny: PathPattern, bases: PathBases): boolean {
  const reads = spellings(read.text, bases).flatMap((text) => variants(readPieces({ ...read, text })));
  for (const denied of denyPieces(deny, bases)) for (const b of variants(denied)) for (const a of reads) if (meet(a, b)) return true;
  return false;
}

const slashes = (p: string): string => p.split(path.sep).join("/");
const literal = (c: string): Token => ({ kind: "char", test: (x) => x === c, lit: c });
const notSlash = (extra?: (c: string) => boolean): Token => ({ kind: "char", test: (x) => x !== "/" && (extra ? extra(x) : true) });

function readPieces(read: ReadPattern): Piece[] {
  const out: Piece[] = [];
  const text = slashes(read.text);
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    // `*.env` does not match `.env`, nor `?env` or `[.]env`: a leading dot is matched only by a dot written.
    if (read.glob && !read.dotglob && (i === 0 || text[i - 1] === "/") && "*?[".includes(c)) out.push({ kind: "no-dot" });
    // The word's text has its quotes and escapes taken out: a `\` in it is a character.
    const set = read.glob && c === "[" ? bracketAt(text, i) : undefined;
    if (c === RUN_TIME) out.push({ kind: "any" });
    else if (read.glob && c === "*") {
      while (text[i + 1] === "*") i++;
      out.push({ kind: "star" });
    } else if (read.glob && c === "?") out.push(notSlash());
    else if (set) {
      out.push(notSlash(bracketTest(set)));
      i = set.end;
    } else out.push(literal(c));
  }
  if (read.recursive) out.push({ kind: "below" });
  return out;
}

function denyPieces(deny: PathPattern, bases: PathBases): Piece[][] {
  const roots = deny.base === "absolute" ? [""] : deny.base === "user" ? userHomes(deny.user ?? "", bases, true) : [deny.base === "home" ? bases.home : bases.projectRoot];
  return roots.flatMap((root) => {
    const base = root === "" ? "" : slashes(path.resolve(root));
    // Extended globs and negations are not read here: such a rule is taken to cover all it could.
    if (/[!@+*?]\(|^!/.test(deny.glob)) return [[...[...base].map(literal), { kind: "any" } as const]];
    const pieces = braces(deny.glob).map((glob) => globPieces(base, glob, deny.windows));
    // A Windows rule with no drive (`\Users\x\**`) is taken to cover its folder on every drive (see matchPathPattern).
    return root === "" && deny.windows && /^\/(?!\/)/.test(deny.glob) ? [...pieces, ...pieces.map((p) => [DRIVE_LETTER, literal(":"), ...p])] : pieces;
  });
}

const DRIVE_LETTER: Token = { kind: "char", test: (c) => /^[A-Za-z]$/.test(c) };

/** `a{b,c}d` as `abd` and `acd` (nested braces too), `{a..c}` as `a`, `b`, `c`; text with no alternatives as itself. */
export function braces(text: string): string[] {
  const open = text.indexOf("{");
  if (open < 0) return [text];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) {
      if (commas.length === 0) {
        const range = sequence(text.slice(open + 1, i));
        if (range) return range.flatMap((item) => braces(text.slice(0, open) + item + text.slice(i + 1))).slice(0, 64);
        return braces(text.slice(i + 1)).map((rest) => text.slice(0, i + 1) + rest);
      }
      const cuts = [open, ...commas, i];
      const alternatives = cuts.slice(0, -1).map((at, k) => text.slice(at + 1, cuts[k + 1]));
      return alternatives.flatMap((alt) => braces(text.slice(0, open) + alt + text.slice(i + 1))).slice(0, 64);
    } else if (text[i] === "," && depth === 1) commas.push(i);
  }
  return [text];
}

/** `a..e` or `1..10` (a step is left out: every item between is kept, a few too many). */
function sequence(body: string): string[] | undefined {
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.-?\d+)?$/.exec(body);
  if (!m?.[1] || !m[2]) return undefined;
  const numeric = /\d/.test(m[1]);
  if (numeric !== /\d/.test(m[2])) return undefined;
  const [from, to] = numeric ? [Number(m[1]), Number(m[2])] : [m[1].charCodeAt(0), m[2].charCodeAt(0)];
  const out: string[] = [];
  for (let k = Math.min(from, to); k <= Math.max(from, to) && out.length < 64; k++) out.push(numeric ? String(k) : String.fromCharCode(k));
  return out;
}

/** A deny rule's pieces; `nocase` as a Windows rule is read, ignoring case. */
function globPieces(base: string, glob: string, nocase = false): Piece[] {
  const char = nocase ? (c: string): Token => ({ kind: "char", test: (x) => x.toLowerCase() === c.toLowerCase(), lit: c }) : literal;
  const out: Piece[] = [...base].map(char);
  if (glob === "") return [...out, { kind: "below" }];
  if (base !== "") out.push(char("/"));
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? "";
    // The compiled glob escapes with `\`, in a bracket expression too (see ruleGlob).
    const set = c === "[" ? bracketAt(glob, i, true) : undefined;
    if (c === "\\" && i + 1 < glob.length) out.push(char(glob[++i] ?? ""));
    else if (c === "*" && glob[i + 1] === "*") {
      i++;
      if (glob[i + 1] === "/") {
        i++;
        out.push({ kind: "dirs" });
      } else out.push({ kind: "any" });
    } else if (c === "*") out.push({ kind: "star" });
    else if (c === "?") out.push(notSlash());
    else if (set) {
      const test = bracketTest(set);
      out.push(notSlash(nocase ? (x) => test(x) || test(x.toLowerCase()) || test(x.toUpperCase()) : test));
      i = set.end;
    } else out.push(char(c));
  }
  return [...out, { kind: "below" }];
}

/** Each way the optional parts can go: `**\/` as nothing or as any folders, a folder's contents as nothing or `/…`. */
function variants(pieces: Piece[]): Token[][] {
  let out: Token[][] = [[]];
  for (const piece of pieces) {
    if (piece.kind === "dirs" || piece.kind === "below") {
      const some: Token[] = piece.kind === "dirs" ? [{ kind: "any" }, literal("/")] : [literal("/"), { kind: "any" }];
      out = out.length > 32 ? out.map((v) => [...v, { kind: "any" }]) : out.flatMap((v) => [v, [...v, ...some]]);
    } else out = out.map((v) => [...v, piece]);
  }
  return out;
}

/** Characters tried where two patterns must agree on one: printable ASCII and whatever else either names. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

/**
 * Whether one string matches both token lists: a search over pairs of positions, stepping one
 * character at a time on both sides, or ending a star or passing a no-dot mark on one.
 */
function meet(a: Token[], b: Token[]): boolean {
  const chars = [...new Set([...ASCII, ...[...a, ...b].flatMap((t) => (t.kind === "char" && t.lit !== undefined ? [t.lit] : []))])];
  const accepts = (t: Token): ((c: string) => boolean) => (t.kind === "char" ? t.test : t.kind === "star" ? (c) => c !== "/" : () => true);
  const seen = new Set<string>();
  // [position in a, position in b, the next character may not be a dot]
  const stack: [number, number, boolean][] = [[0, 0, false]];
  while (stack.length > 0) {
    const state = stack.pop();
    if (!state) break;
    const [i, j, noDot] = state;
    const key = `${i},${j},${noDot ? 1 : 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const ta = a[i];
    const tb = b[j];
    if (ta && ta.kind !== "char") stack.push([i + 1, j, noDot || ta.kind === "no-dot"]);
    if (tb && tb.kind !== "char") stack.push([i, j + 1, noDot || tb.kind === "no-dot"]);
    if (!ta || !tb || ta.kind === "no-dot" || tb.kind === "no-dot") continue;
    const fa = accepts(ta);
    const fb = accepts(tb);
    if (!chars.some((c) => fa(c) && fb(c) && !(noDot && c === "."))) continue;
    stack.push([ta.kind === "char" ? i + 1 : i, tb.kind === "char" ? j + 1 : j, false]);
  }
  return false;
}
