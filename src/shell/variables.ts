import type { Param, ParamDefault, ParamEdit, Script, Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { applyEdit } from "./parameter-edits.js";

/**
 * Variables assigned earlier on the same command line (`x=rm; $x -rf /`, fish `set x /`), filled
 * into later words. Only literal values are kept; an assignment wren cannot read forgets the name,
 * so its uses stay unknown.
 */
export type Variables = Map<string, string>;

/**
 * Variables whose value is one of several readings: a word with undecided parts (`x=${y:-/}` is y's
 * value or `/`), or what it held before a command that may have changed it (`eval "$s"`): the old
 * value or one only known at run time. A name is in `Variables` or here, never both.
 */
export type MaybeValues = Map<string, Word>;

/** Fills known variables into a word; the word stays dynamic while any value is unknown. */
export function resolveWord(word: Word, vars: ReadonlyMap<string, string>, maybe?: ReadonlyMap<string, Word>): Word {
  if (!word.dynamic || !word.vars || (vars.size === 0 && !maybe?.size)) return word;
  return fillSlots(word, (name, param) => {
    const value = name === null ? undefined : vars.get(name);
    if (!param) return value ?? (name === null ? undefined : maybe?.get(name));
    if (!isDefault(param)) return resolveEdit(param, name === null ? undefined : maybe?.get(name), value, vars, maybe);
    const filled = paramValue(param.op, value);
    if (filled === "value") return value;
    if (filled === "word") return resolveWord(param.word, vars, maybe);
    if (filled === "nothing") return "";
    // Still undecided: what the word would be is known as far as the line tells.
    return { ...param, word: resolveWord(param.word, vars, maybe) };
  });
}

/**
 * `${x#a:}`: bash's answer where x is known and it is certain; where x is one of several readings
 * (`stored`, or the edit's own `of`), the edit of each, still undecided; else undecided as it stands.
 * A `mktemp` path is a stand-in, not its value: an edit of it is not known either.
 */
function resolveEdit(edit: ParamEdit, stored: Word | undefined, value: string | undefined, vars: ReadonlyMap<string, string>, maybe?: ReadonlyMap<string, Word>): string | Param | undefined {
  // A value kept from an assignment is what it was then: it is not filled in again with later values.
  const of = edit.of ? resolveWord(edit.of, vars, maybe) : stored;
  if (!of) return (value === undefined || value === TEMPORARY ? undefined : applyEdit(edit, value)) ?? edit;
  if (!of.dynamic) return of.text === TEMPORARY ? undefined : applyEdit(edit, of.text);
  return { ...edit, of };
}

/**
 * What `${NAME<op>word}` expands to when NAME's value is `value` (undefined: unknown). wren keeps an
 * unset name as empty, so `-`, `=` and `+`, which tell unset from empty, leave an empty one undecided.
 */
function paramValue(op: ParamDefault["op"], value: string | undefined): "value" | "word" | "nothing" | undefined {
  if (value === undefined) return undefined;
  const colon = op.startsWith(":");
  if (value === "" && !colon) return undefined;
  if (op.endsWith("+")) return value === "" ? "nothing" : "word";
  return value === "" ? "word" : "value";
}

/**
 * Fills each `RUN_TIME` of a word with what `fill` gives for its variable: text, a word (spliced in,
 * its own unknown values kept), the slot's operator again (still undecided) or undefined (unknown).
 */
function fillSlots(word: Word, fill: (name: string | null, param: Param | null, output: Script | null) => string | Word | Param | undefined): Word {
  const parts = word.text.split(RUN_TIME);
  const names = slotsOf(word);
  const params = word.params;
  const outputs = word.outputs;
  let text = parts[0] ?? "";
  let dynamic = false;
  const left: (string | null)[] = [];
  const leftParams: (Param | null)[] = [];
  const leftOutputs: (Script | null)[] = [];
  let changed = false;
  let kept = false;
  for (let i = 1; i < parts.length; i++) {
    const name = names[i - 1] ?? null;
    const param = params?.[i - 1] ?? null;
    const output = outputs?.[i - 1] ?? null;
    const value = fill(name, param, output);
    if (value === undefined || isParam(value)) {
      text += RUN_TIME;
      dynamic = true;
      left.push(name);
      leftParams.push(value ?? null);
      leftOutputs.push(output);
      changed ||= value !== undefined;
    } else if (typeof value === "string") {
      text += value;
      changed = true;
    } else {
      text += value.text;
      changed = true;
      // The word of `${x:-''}` or `${x:-"$y"}`: its quotes keep it one word, an empty one too.
      kept ||= param !== null && isDefault(param) && param.quoted === true;
      if (value.dynamic) {
        dynamic = true;
        left.push(...slotsOf(value));
        leftParams.push(...paramsOf(value));
        leftOutputs.push(...outputsOf(value));
      }
    }
    text += parts[i] ?? "";
  }
  if (!changed) return word;
  const resolved: Word = { ...word, text, dynamic, glob: word.glob || (word.bare === true && !kept && /[*?[]/.test(text)) };
  if (kept) delete resolved.bare;
  delete resolved.vars;
  delete resolved.params;
  delete resolved.outputs;
  if (dynamic) resolved.vars = left;
  if (dynamic && leftParams.some((p) => p !== null)) resolved.params = leftParams;
  if (dynamic && leftOutputs.some((o) => o !== null)) resolved.outputs = leftOutputs;
  return resolved;
}

function isParam(value: string | Word | Param): value is Param {
  return typeof value === "object" && "op" in value;
}

/** The variable behind each `RUN_TIME` of a word (null where it is not a plain variable). */
export function slotsOf(word: Word): (string | null)[] {
  if (word.vars) return word.vars;
  const count = word.text.split(RUN_TIME).length - 1;
  return Array.from({ length: count }, () => null);
}

/** The operator behind each `RUN_TIME` of a word (null where there is none). */
export function paramsOf(word: Word): (Param | null)[] {
  return word.params ?? slotsOf(word).map(() => null);
}

/** The script behind each `RUN_TIME` of a word that is a `$(…)` (null where it is not). */
export function outputsOf(word: Word): (Script | null)[] {
  return word.outputs ?? slotsOf(word).map(() => null);
}

/**
 * Fills in what each `$(…)` of a word writes where `output` can tell (text, or a word with values
 * still unknown: `$(echo ${x:-~})` is `${x:-~}`); an unquoted `$(…)` alone is split into words.
 */
export function fillOutputs(word: Word, output: (script: Script) => string | Word | undefined): Word[] {
  if (!word.outputs) return [word];
  const filled = fillSlots(word, (_name, param, script) => (script ? output(script) : (param ?? undefined)));
  // The scripts still run: they stay with the first word.
  return splitBare(word, filled, /\s+/).map((w, i) => (i === 0 ? { ...w, subs: word.subs } : w));
}

/**
 * Fills known variables into words; an unquoted variable alone is split into words, as the shell
 * does, except in fish (`split` false), whose values are lists (see {@link fishLists}).
 */
export function resolveWords(words: readonly Word[], vars: ReadonlyMap<string, string>, maybe?: ReadonlyMap<string, Word>, split = true): Word[] {
  if (vars.size === 0 && !maybe?.size) return [...words];
  return words.flatMap((w) => (split ? splitBare(w, resolveWord(w, vars, maybe), separators(vars)) : [resolveWord(w, vars, maybe)]));
}

/** Between the elements of a fish list in a variable's value (`set x a b`); a value without it is one element. */
export const FISH_LIST = "\u0001";

/** A fish value as one string, its elements joined by spaces: what a quoted `"$x"` or a child process's environment holds. */
export function fishJoined(value: string): string {
  return value.replaceAll(FISH_LIST, " ");
}

/**
 * The elements fish's index selects from a list (`$x[INDEX]`): numbers from 1, or from the end when
 * negative, and ranges `A..B` (A or B left out: the first or last; B before A: backwards), several
 * apart by blanks. A number past either end selects nothing. Undefined where wren cannot tell: 0 or
 * an empty index (errors), and a range past either end (fish clamps some such ranges and not others).
 */
export function fishIndex(list: readonly string[], index: string): string[] | undefined {
  // Blanks around `..` are part of the range (`$x[2 .. 3]`).
  const items = index.trim().replace(/\s*\.\.\s*/g, "..").split(/\s+/);
  if (items[0] === "") return undefined;
  const at = (n: number): number => (n < 0 ? list.length + 1 + n : n);
  const out: string[] = [];
  for (const item of items) {
    if (/^-?\d+$/.test(item)) {
      const n = Number(item);
      if (n === 0) return undefined;
      const k = at(n);
      if (k >= 1 && k <= list.length) out.push(list[k - 1] ?? "");
      continue;
    }
    const range = /^(-?\d+)?\.\.(-?\d+)?$/.exec(item);
    if (!range) return undefined;
    const a = Number(range[1] ?? 1);
    const b = Number(range[2] ?? -1);
    if (a === 0 || b === 0) return undefined;
    const from = at(a);
    const to = at(b);
    if (from < 1 || to < 1 || from > list.length || to > list.length) return undefined;
    const step = from <= to ? 1 : -1;
    for (let k = from; k !== to + step; k += step) out.push(list[k - 1] ?? "");
  }
  return out;
}

/** A fish slot of a variable and an index (`x[2]`, see the fish parser): the variable's name and the index. */
const INDEXED = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s;

/**
 * The elements a fish slot stands for: a list to spread (more than one element, or what an index
 * selects, none or one too), undefined for a value {@link resolveWords} fills in, null where an
 * index selects from a list wren does not know.
 */
function fishElements(name: string | null, vars: ReadonlyMap<string, string>): string[] | null | undefined {
  if (name === null) return undefined;
  const indexed = INDEXED.exec(name);
  if (!indexed) {
    const list = vars.get(name)?.split(FISH_LIST);
    return list && list.length > 1 ? list : undefined;
  }
  const value = vars.get(indexed[1] ?? "");
  return (value === undefined ? undefined : fishIndex(value.split(FISH_LIST), indexed[2] ?? "")) ?? null;
}

/** Most words one word may expand to in fish before wren reads its lists joined instead. */
const MAX_FISH_WORDS = 64;

/**
 * fish expands a word holding unquoted list variables to the product of their elements (`set x a b`:
 * `$x` is `a` and `b`, `/tmp/$x` is `/tmp/a` and `/tmp/b`); quoted (`"$x"`), the elements are joined
 * by spaces. Other values are filled in later by {@link resolveWords}.
 */
export function fishLists(words: readonly Word[], vars: ReadonlyMap<string, string>): Word[] {
  return words.flatMap((given) => {
    const found = given.dynamic ? slotsOf(given).map((n) => fishElements(n, vars)) : [];
    // An index of a list wren does not know is a value it cannot know.
    const word = found.includes(null) ? { ...given, vars: slotsOf(given).map((n, i) => (found[i] === null ? null : n)) } : given;
    const lists = found.map((l) => l ?? undefined);
    if (!lists.some((l) => l !== undefined)) return [word];
    const count = lists.reduce((n, l) => n * (l?.length ?? 1), 1);
    // A word that is no word still runs its `(…)`: wren keeps it, unknown, to judge them.
    if (count === 0 && word.subs.length > 0) return [{ ...word, vars: slotsOf(word).map((n, i) => (lists[i] === undefined ? n : null)) }];
    if (!word.listed || count > MAX_FISH_WORDS) {
      let k = 0;
      return [fillSlots(word, () => {
        const list = lists[k++];
        return list ? list.join(" ") : undefined;
      })];
    }
    const out: Word[] = [];
    for (let c = 0; c < count; c++) {
      // The first list varies slowest, as fish writes the product.
      let after = count;
      const picks = lists.map((l) => {
        if (!l) return undefined;
        after /= l.length;
        return l[Math.floor(c / after) % l.length];
      });
      let k = 0;
      out.push(fillSlots(word, () => picks[k++]));
    }
    return out;
  });
}

/** A lone unquoted variable (`bare`) whose value is now known is split into words; a quoted default it took (`${x:-''}`) is not. */
function splitBare(original: Word, filled: Word, at: RegExp): Word[] {
  if (filled === original || filled.dynamic || !original.bare || !filled.bare) return [filled];
  return filled.text
    .split(at)
    .filter((t) => t.length > 0)
    .map((t) => ({ text: t, dynamic: false, glob: /[*?[]/.test(t), subs: [] }));
}

/**
 * How many readings, besides the one that leaves them unknown, the undecided `${NAME:-word}`-style
 * values in some words have: the word for each (`:+` and `+`: the word, then nothing). 0 when none.
 */
export function readingCount(words: readonly Word[]): number {
  let count = 0;
  for (const w of words) for (const p of w.params ?? []) if (p) count = Math.max(count, choices(p).length);
  return count;
}

/** The `k`-th reading of words (see {@link readingCount}): each undecided value as its `k`-th choice, the last when it has fewer. */
export function readWords(words: readonly Word[], k: number): Word[] {
  return words.flatMap((w) => splitBare(w, readWord(w, k), /\s+/));
}

export function readWord(word: Word, k: number): Word {
  if (!word.params) return word;
  const read = fillSlots(word, (_name, param) => {
    if (!param) return undefined;
    const all = choices(param);
    return all[Math.min(k, all.length - 1)];
  });
  // A word that holds another (`${x:-${y:-/}}`) is read again, one level in each time.
  return read.params ? readWord(read, k) : read;
}

/**
 * After a command that may change variables wren cannot follow (`eval "$s"`, `source ./f`): each
 * known value becomes "that value, or one only known at run time", so neither reading is lost.
 */
export function forgetValues(vars: Variables, maybe: MaybeValues): void {
  for (const [name, value] of vars) maybe.set(name, orUnknown(value));
  vars.clear();
}

/** After a command that may change one variable (a function given its name): its value, or one only known at run time. */
export function forgetValue(name: string, vars: Variables, maybe: MaybeValues): void {
  const value = vars.get(name);
  if (value === undefined) return;
  maybe.set(name, orUnknown(value));
  vars.delete(name);
}

/** A value that is `value` or one only known at run time: `${?:-value}` of an unnamed variable. */
function orUnknown(value: string): Word {
  return { text: RUN_TIME, dynamic: true, glob: false, subs: [], vars: [null], params: [{ op: ":-", word: { text: value, dynamic: false, glob: false, subs: [] } }] };
}

/**
 * The readings besides an unknown value. An edit (`${x#a}`) has none where x is unknown, and where x
 * is one of several readings (`of`), the edit of each: unknown where the reading is, or where bash's
 * answer is not certain.
 */
function choices(param: Param): (Word | string)[] {
  if (!isDefault(param)) return param.of ? editedReadings(param, param.of) : [];
  return param.op.endsWith("+") ? [param.word, ""] : [param.word];
}

function editedReadings(edit: ParamEdit, of: Word): (Word | string)[] {
  return Array.from({ length: readingCount([of]) }, (_, k) => {
    const reading = readWord(of, k);
    const edited = reading.dynamic || reading.text === TEMPORARY ? undefined : applyEdit(edit, reading.text);
    return edited ?? UNKNOWN;
  });
}

/** A value only known at run time. */
const UNKNOWN: Word = { text: RUN_TIME, dynamic: true, glob: false, subs: [], vars: [null] };

/** `${NAME:-word}` and its kin, as against an edit of NAME's value. */
export function isDefault(param: Param): param is ParamDefault {
  return "word" in param;
}

/**
 * bash and sh split an unquoted `$IFS` the line did not set at blanks (its default), so
 * `rm${IFS}-rf${IFS}/` is `rm -rf /`. Quoted ones are not split (the parser leaves them unnamed).
 */
export function splitAtDefaultIfs(words: readonly Word[], vars: ReadonlyMap<string, string>): Word[] {
  if (vars.has("IFS") || !words.some((w) => w.vars?.includes("IFS"))) return [...words];
  return words.flatMap((w) => {
    if (!w.dynamic || !w.vars?.includes("IFS")) return [w];
    const parts = w.text.split(RUN_TIME);
    const params = paramsOf(w);
    const pieces: { text: string; vars: (string | null)[]; params: (Param | null)[] }[] = [{ text: parts[0] ?? "", vars: [], params: [] }];
    for (let i = 1; i < parts.length; i++) {
      const name = w.vars[i - 1] ?? null;
      const last = pieces[pieces.length - 1];
      if ((name === "IFS" && !params[i - 1]) || !last) pieces.push({ text: parts[i] ?? "", vars: [], params: [] });
      else {
        last.text += `${RUN_TIME}${parts[i] ?? ""}`;
        last.vars.push(name);
        last.params.push(params[i - 1] ?? null);
      }
    }
    // Substitutions run once: they stay with the first word.
    return pieces
      .filter((p) => p.text.length > 0)
      .map((p, i): Word => {
        const subs = i === 0 ? w.subs : [];
        if (p.vars.length === 0) return { text: p.text, dynamic: false, glob: w.glob && /[*?[]/.test(p.text), subs };
        const piece: Word = { text: p.text, dynamic: true, glob: w.glob, subs, vars: p.vars };
        if (p.params.some((q) => q !== null)) piece.params = p.params;
        return piece;
      });
  });
}

/** Where an unquoted value is split: `$IFS` when the line set it, else blanks. */
function separators(vars: ReadonlyMap<string, string>): RegExp {
  const ifs = vars.get("IFS");
  if (ifs === undefined || ifs === "") return /\s+/;
  return new RegExp(`[${ifs.replace(/[\\\]^-]/g, "\\$&")}]+`);
}

/**
 * fish `set [options] NAME VALUES…`: what it assigns (a list: see {@link FISH_LIST}; nothing known for `set x`, an empty list), or the names it erases.
 * `values` are the words given (not for `-e`), `adds` where `-a` or `-p` puts them among those the variable had.
 */
export function fishSet(args: readonly Word[], vars?: ReadonlyMap<string, string>): FishSet | undefined {
  let i = 0;
  let erase = false;
  let exported = false;
  let append = false;
  let prepend = false;
  let path = false;
  while (i < args.length && !args[i]?.dynamic && /^-/.test(args[i]?.text ?? "")) {
    const t = args[i]?.text ?? "";
    if (t === "-e" || t === "--erase" || /^-[a-zA-Z]*e/.test(t)) erase = true;
    if (t === "--export" || /^-[a-zA-Z]*x/.test(t)) exported = true;
    if (t === "--append" || /^-[a-zA-Z]*a/.test(t)) append = true;
    if (t === "--prepend" || /^-[a-zA-Z]*p/.test(t)) prepend = true;
    path ||= t === "--path" || t === "--unpath";
    if (t === "-q" || t === "--query" || t === "-n" || t === "--names" || t === "-S" || t === "--show") return undefined;
    i++;
  }
  const name = args[i];
  if (!name || name.dynamic) return undefined;
  // `set x[2] v`, `set -e x[2]` change some elements of x: what it then holds is not followed.
  const element = /^([A-Za-z_][A-Za-z0-9_]*)\[.*\]$/s.exec(name.text);
  if (element) return { name: element[1] ?? "", ...(exported ? { exported } : {}) };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) return undefined;
  const values = args.slice(i + 1);
  const only = values.length === 1 ? values[0] : undefined;
  const set: FishSet = { name: name.text };
  // -a and -p add to the list x holds, where the line tells it; --path reads values split at colons.
  const added = append || prepend;
  if (!erase) set.values = values;
  if (!erase && added) set.adds = append ? "append" : "prepend";
  const held = added ? vars?.get(name.text) : undefined;
  const known = !erase && !path && (!added || held !== undefined);
  if (known && !added && only && temporaryPath(only)) set.value = TEMPORARY;
  // With no values x is an empty list, which drops a word holding it (`foo$x`): no string stands for that.
  else if (known && (values.length > 0 || added) && !values.some((w) => w.dynamic)) {
    const given = values.map((w) => w.text);
    set.value = [...(prepend ? given : []), ...(held === undefined ? [] : [held]), ...(append ? given : []), ...(added ? [] : given)].join(FISH_LIST);
  }
  if (exported) set.exported = true;
  return set;
}

/** What a fish `set` assigns (see {@link fishSet}). */
export interface FishSet {
  name: string;
  value?: string;
  exported?: boolean;
  values?: readonly Word[];
  adds?: "append" | "prepend";
}

/** Stands for a path `mktemp` makes: wren knows no more than that it is a fresh temporary file. */
export const TEMPORARY = "/tmp/tmp.mktemp";

/** `$(mktemp …)`, fish `(mktemp …)`: the value is a new temporary path. */
export function temporaryPath(word: Word): boolean {
  if (word.text !== RUN_TIME || word.subs.length !== 1) return false;
  const units = word.subs[0]?.units ?? [];
  const only = units.length === 1 ? units[0] : undefined;
  if (only?.kind !== "pipeline" || only.stages.length !== 1) return false;
  const name = only.stages[0]?.argv[0];
  return name !== undefined && !name.dynamic && name.text === "mktemp";
}
