import type { Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { FOUND, selectsKeyFiles } from "./secret-files.js";

/**
 * How `find`'s words name the files it finds: its starting points, the key files its name filter
 * picks, and the commands `-exec` runs on them. Read by the evaluator (what it hands on) and by
 * `data-flow.ts` (what it prints into a pipe).
 */

/**
 * find's options before its starting points: GNU's `-H`, `-L`, `-P`, `-O LEVEL` and `-D DEBUGOPTS`
 * (its value the next word), BSD's `-E`, `-X`, `-s`, `-x` and `-d`; BSD's `-f PATH` names a starting point.
 */
const FIND_LEADING = /^-(?:[HLPEXsxd]|O\d*)$/;

export function findStartPaths(args: readonly Word[]): Word[] {
  const starts: Word[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i]!;
    if (w.dynamic) break;
    if (w.text === "-D") i++;
    else if (w.text === "-f" && args[i + 1]) starts.push(args[++i]!);
    else if (!FIND_LEADING.test(w.text)) break;
  }
  for (const w of args.slice(i)) {
    if (!w.dynamic && (w.text.startsWith("-") || w.text === "(" || w.text === "!")) break;
    starts.push(w);
  }
  return starts.length > 0 ? starts : [literalWord(".")];
}

/** find's tests on a file's name; one after `!` or `-not` picks the files it does not match. */
const FIND_NAME_TESTS = ["-name", "-iname"];

/**
 * The files `find` hands on as the credential rules see them, where its name filter picks key
 * files or environment files (`-name '*.key'`, `-name 'id_*'`, `-name .env`; `selectsKeyFiles`):
 * a stand-in `START/…/PATTERN` that `secret-files.ts` reads as such a file. Undefined for any other filter.
 */
export function keyFilesFound(start: Word, findArgs: readonly Word[]): Word | undefined {
  if (start.dynamic) return undefined;
  const pattern = findArgs.find((w, i) => {
    const test = findArgs[i - 1];
    const negated = ["!", "-not"].includes(findArgs[i - 2]?.text ?? "");
    return !w.dynamic && test !== undefined && !test.dynamic && FIND_NAME_TESTS.includes(test.text) && !negated && selectsKeyFiles(w.text);
  });
  if (!pattern) return undefined;
  const base = start.text.endsWith("/") ? start.text : `${start.text}/`;
  return { ...literalWord(`${base}${FOUND}/${pattern.text}`), glob: true };
}

/** The commands find's actions run on the files it finds (`-exec CMD … ;`, `-execdir`, `-ok`, `-okdir`, `+` ending one too), with their words. */
export function findActions(findArgs: readonly Word[]): Word[][] {
  const actions: Word[][] = [];
  for (let i = 0; i < findArgs.length; i++) {
    if (!["-exec", "-execdir", "-ok", "-okdir"].includes(findArgs[i]?.text ?? "")) continue;
    const inner: Word[] = [];
    for (i++; i < findArgs.length; i++) {
      const a = findArgs[i]!;
      if (a.text === ";" || a.text === "+") break;
      inner.push(a);
    }
    actions.push(inner);
  }
  return actions;
}
