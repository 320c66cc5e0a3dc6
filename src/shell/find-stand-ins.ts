/** The word that stands for the files a finder (find, fd) hands on, under its start path. */
import type { Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { classifyWord, type PathContext } from "./paths.js";

const NAME_FILTERS = ["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-newer", "-mtime", "-mmin", "-size", "-user", "-perm", "-empty"];

/** Whether `w` is one of {@link foundBy}'s stand-ins, whose file names are not known. */
export function isFoundStandIn(w: Word): boolean {
  return (w.glob && w.text.endsWith("/*")) || w.text.endsWith("/…");
}

/**
 * Stands for the files `find` hands on. With a filter on names, dates or sizes inside the project
 * they are some files under the start path; otherwise everything under it (`find ~ … -exec rm` is `~/*`).
 */
export function foundBy(start: Word, findArgs: Word[], paths: PathContext): Word {
  return foundUnder(start, findArgs.some((w) => NAME_FILTERS.includes(w.text)), paths);
}

/** {@link foundBy} for any finder: `filtered` when it has a filter on names, dates or sizes. */
export function foundUnder(start: Word, filtered: boolean, paths: PathContext): Word {
  // A filter narrows what a finder hands on only inside the project: all *.jpg in home is still home.
  const narrowed = filtered && ["cwd", "project", "temp"].includes(classifyWord(start, paths));
  const base = start.text.endsWith("/") ? start.text : `${start.text}/`;
  return narrowed ? literalWord(`${base}…`) : { ...literalWord(`${base}*`), glob: true };
}
