import path from "node:path";
import type { Word } from "../shell/ir.js";
import { splitLong } from "../shell/option-walk.js";

/** git's own options that take a value, before the subcommand. */
const GIT_VALUES = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--config-env", "--exec-path"]);

/** A git command line taken apart at its subcommand. */
export interface GitCall {
  /** Where `-C` runs it (several compose), or undefined for where the command runs. */
  where: Word | undefined;
  /** The `--work-tree` it is given, placed under `where`. */
  workTree: Word | undefined;
  /** The `--git-dir` it is given, placed under `where`: the repository git uses, its config and hooks included. */
  gitDir: Word | undefined;
  /** The `--git-dir` and `--work-tree` folders, placed under `where`. */
  folders: Word[];
  sub: Word | undefined;
  /** The words after the subcommand. */
  rest: Word[];
}

/** Reads git's own options (`-C DIR`, `-c k=v`, `--work-tree DIR`, `--no-pager`…) up to the subcommand. */
export function gitCall(args: readonly Word[]): GitCall {
  const folders: Word[] = [];
  let where: Word | undefined;
  let workTree: Word | undefined;
  let gitDir: Word | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic || !w.text.startsWith("-")) break;
    const [opt = "", inline] = w.text.startsWith("--") ? splitLong(w.text) : [w.text, undefined];
    if (!GIT_VALUES.has(opt)) continue;
    const value = inline === undefined ? args[++i] : { ...w, text: inline };
    if (!value) break;
    if (opt === "-C") where = where && !value.dynamic && !path.isAbsolute(value.text) ? { ...value, text: path.join(where.text, value.text), dynamic: where.dynamic } : value;
    if (opt === "--git-dir" || opt === "--work-tree") folders.push(under(where, value));
    if (opt === "--work-tree") workTree = under(where, value);
    if (opt === "--git-dir") gitDir = under(where, value);
  }
  return { where, workTree, gitDir, folders, sub: args[i], rest: args.slice(i + 1) };
}

/** `value` as seen from where git runs (`-C DIR`). */
export function under(where: Word | undefined, value: Word): Word {
  if (!where || value.dynamic || path.isAbsolute(value.text)) return value;
  return { ...value, text: path.join(where.text, value.text), dynamic: where.dynamic };
}
