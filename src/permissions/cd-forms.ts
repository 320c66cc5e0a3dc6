import path from "node:path";
import type { Script, Word } from "../shell/ir.js";
import { cautiousForms } from "./command-forms.js";
import { ANYWHERE } from "./command-pattern.js";

/**
 * Where a command's relative paths start: the folder the command line starts in (the session's
 * shell keeps it between calls), or the folders the line may be in after its `cd`s.
 */
export interface CdPlaces {
  /** Each folder the line may be in by then; undefined after a `cd` wren cannot follow. */
  dirs: readonly string[] | undefined;
}

export interface CdForms {
  /** The command with its relative paths placed in each folder, the home as `~` and written out. */
  forms: string[];
  /**
   * After a `cd` wren cannot follow: the command with its relative paths after an {@link ANYWHERE}
   * (`rm ANYWHERE/id_rsa`), for deny and ask rules it may be, which ask rather than decide.
   */
  placeless: string[];
}

/** Past this many relative paths, only the form with all of them placed is kept beside the others. */
const ONE_BY_ONE = 8;

/**
 * For deny and ask rules written with a path (`Bash(rm ~/.ssh/*)`, `Bash(cat /etc/shadow)`): a
 * command with its relative paths where the shell resolves them, in the folder the line starts in
 * (where an earlier call's `cd ~/.ssh` left the session: `rm id_rsa`) or where a `cd` on the line
 * leads (`cd ~/.ssh && rm id_rsa`). Which words are paths wren does not know, so it places every
 * relative word that is not an option (the program too where it holds a `/`): all of them, and
 * each alone (`sed -i s/a/b/ config`, where `s/a/b/` is no path). Allow rules never see these.
 */
export function cdForms(words: readonly Word[], at: CdPlaces, parse: ((text: string) => Script) | undefined, tildify: (text: string) => string): CdForms {
  const relative = words.flatMap((word, i) => (isRelativePath(word, i) ? [i] : []));
  if (relative.length === 0) return { forms: [], placeless: [] };
  const choices = relative.length > 1 && relative.length <= ONE_BY_ONE ? [relative, ...relative.map((i) => [i])] : [relative];
  const spell = (place: (text: string) => string): Word[][] => choices.map((chosen) => words.map((word, i) => (chosen.includes(i) ? { ...word, text: place(word.text) } : word)));
  const texts = (spelled: readonly Word[][]): string[] => [
    ...new Set(
      spelled.flatMap((ws) => [ws.map((w) => tildify(w.text)).join(" "), ws.map((w) => w.text).join(" "), ...(parse ? cautiousForms(ws, parse, tildify) : [])]),
    ),
  ];
  if (at.dirs) return { forms: texts(at.dirs.flatMap((dir) => spell((text) => path.resolve(dir, text)))), placeless: [] };
  return { forms: [], placeless: texts(spell(anywhere)) };
}

/** A word the shell passes as a relative path, if it is one: not an option, not a run-time value, not the program unless it holds a `/`. */
function isRelativePath(word: Word, i: number): boolean {
  if (word.dynamic || word.text === "" || word.text.includes("\n") || path.isAbsolute(word.text) || word.text.startsWith("-")) return false;
  return i > 0 || word.text.includes("/");
}

/**
 * A relative path from a folder wren does not know: what is sure of it is what follows the
 * folder, after any `..` that climbs out of it (`../.ssh/id_rsa` is ANYWHERE/.ssh/id_rsa).
 */
function anywhere(text: string): string {
  const steps = path.posix.normalize(text).split("/").filter((step) => step !== "" && step !== ".");
  while (steps[0] === "..") steps.shift();
  return steps.length === 0 ? ANYWHERE : `${ANYWHERE}/${steps.join("/")}`;
}
