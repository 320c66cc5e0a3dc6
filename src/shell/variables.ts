import type { Word } from "./ir.js";

/**
 * Variables assigned earlier on the same command line (`x=rm; $x -rf /`, fish `set x /`), filled
 * into later words. Only literal values are kept; an assignment wren cannot read forgets the name,
 * so its uses stay unknown.
 */
export type Variables = Map<string, string>;

/** Fills known variables into a word; the word stays dynamic while any value is unknown. */
export function resolveWord(word: Word, vars: ReadonlyMap<string, string>): Word {
  if (!word.dynamic || !word.vars || vars.size === 0) return word;
  const parts = word.text.split("\u0000");
  let text = parts[0] ?? "";
  let dynamic = false;
  const left: (string | null)[] = [];
  let changed = false;
  for (let i = 1; i < parts.length; i++) {
    const name = word.vars[i - 1] ?? null;
    const value = name === null ? undefined : vars.get(name);
    if (value === undefined) {
      text += "\u0000";
      dynamic = true;
      left.push(name);
    } else {
      text += value;
      changed = true;
    }
    text += parts[i] ?? "";
  }
  if (!changed) return word;
  const resolved: Word = { ...word, text, dynamic, glob: word.glob || (word.bare === true && /[*?[]/.test(text)) };
  if (dynamic) resolved.vars = left;
  else delete resolved.vars;
  return resolved;
}

/** Fills known variables into words; an unquoted variable alone is split into words, as the shell does. */
export function resolveWords(words: readonly Word[], vars: ReadonlyMap<string, string>): Word[] {
  if (vars.size === 0) return [...words];
  return words.flatMap((w) => {
    const r = resolveWord(w, vars);
    if (r === w || r.dynamic || !w.bare) return [r];
    return r.text
      .split(separators(vars))
      .filter((t) => t.length > 0)
      .map((t) => ({ text: t, dynamic: false, glob: /[*?[]/.test(t), subs: [] }));
  });
}

/**
 * bash and sh split an unquoted `$IFS` the line did not set at blanks (its default), so
 * `rm${IFS}-rf${IFS}/` is `rm -rf /`. Quoted ones are not split (the parser leaves them unnamed).
 */
export function splitAtDefaultIfs(words: readonly Word[], vars: ReadonlyMap<string, string>): Word[] {
  if (vars.has("IFS") || !words.some((w) => w.vars?.includes("IFS"))) return [...words];
  return words.flatMap((w) => {
    if (!w.dynamic || !w.vars?.includes("IFS")) return [w];
    const parts = w.text.split("\u0000");
    const pieces: { text: string; vars: (string | null)[] }[] = [{ text: parts[0] ?? "", vars: [] }];
    for (let i = 1; i < parts.length; i++) {
      const name = w.vars[i - 1] ?? null;
      const last = pieces[pieces.length - 1];
      if (name === "IFS" || !last) pieces.push({ text: parts[i] ?? "", vars: [] });
      else {
        last.text += `\u0000${parts[i] ?? ""}`;
        last.vars.push(name);
      }
    }
    // Substitutions run once: they stay with the first word.
    return pieces
      .filter((p) => p.text.length > 0)
      .map((p, i): Word => {
        const subs = i === 0 ? w.subs : [];
        return p.vars.length > 0 ? { text: p.text, dynamic: true, glob: w.glob, subs, vars: p.vars } : { text: p.text, dynamic: false, glob: w.glob && /[*?[]/.test(p.text), subs };
      });
  });
}

/** Where an unquoted value is split: `$IFS` when the line set it, else blanks. */
function separators(vars: ReadonlyMap<string, string>): RegExp {
  const ifs = vars.get("IFS");
  if (ifs === undefined || ifs === "") return /\s+/;
  return new RegExp(`[${ifs.replace(/[\\\]^-]/g, "\\$&")}]+`);
}

/** fish `set [options] NAME VALUES…`: what it assigns, or the names it erases. */
export function fishSet(args: readonly Word[]): { name: string; value?: string; exported?: boolean } | undefined {
  let i = 0;
  let erase = false;
  let exported = false;
  while (i < args.length && !args[i]?.dynamic && /^-/.test(args[i]?.text ?? "")) {
    const t = args[i]?.text ?? "";
    if (t === "-e" || t === "--erase" || /^-[a-zA-Z]*e/.test(t)) erase = true;
    if (t === "--export" || /^-[a-zA-Z]*x/.test(t)) exported = true;
    if (t === "-q" || t === "--query" || t === "-n" || t === "--names" || t === "-S" || t === "--show") return undefined;
    i++;
  }
  const name = args[i];
  if (!name || name.dynamic || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) return undefined;
  const values = args.slice(i + 1);
  const only = values.length === 1 ? values[0] : undefined;
  const set: { name: string; value?: string; exported?: boolean } = { name: name.text };
  if (!erase && only && temporaryPath(only)) set.value = TEMPORARY;
  else if (!erase && !values.some((w) => w.dynamic)) set.value = values.map((w) => w.text).join(" ");
  if (exported) set.exported = true;
  return set;
}

/** Stands for a path `mktemp` makes: wren knows no more than that it is a fresh temporary file. */
export const TEMPORARY = "/tmp/tmp.mktemp";

/** `$(mktemp …)`, fish `(mktemp …)`: the value is a new temporary path. */
export function temporaryPath(word: Word): boolean {
  if (word.text !== "\u0000" || word.subs.length !== 1) return false;
  const units = word.subs[0]?.units ?? [];
  const only = units.length === 1 ? units[0] : undefined;
  if (only?.kind !== "pipeline" || only.stages.length !== 1) return false;
  const name = only.stages[0]?.argv[0];
  return name !== undefined && !name.dynamic && name.text === "mktemp";
}
