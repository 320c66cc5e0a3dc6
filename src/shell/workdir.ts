import path from "node:path";
import type { Word } from "./ir.js";
import type { PathContext } from "./paths.js";
import type { MaybeValues, Variables } from "./variables.js";

/** Commands that change the working directory for the rest of the line. */
export const CD_COMMANDS: ReadonlySet<string> = new Set(["cd", "chdir", "pushd", "popd", "set-location", "sl", "push-location", "pop-location"]);

/**
 * Words from which a line's working directory may have moved, so that its `$PWD` and `~+` are left
 * to the evaluator (`ExpandContext.cwdChanged`): the cd-like commands, `eval` (its text may cd),
 * fish's `prevd` and `nextd`, and `builtin` and `command` (before a cd). The one list the parsers
 * and the evaluator ask.
 */
export const DIR_MOVERS: ReadonlySet<string> = new Set([...CD_COMMANDS, "eval", "prevd", "nextd", "builtin", "command"]);

/** `builtin` and `command`, which move the directory only when they run a cd-like command. */
export const RUNS_NEXT: ReadonlySet<string> = new Set(["builtin", "command"]);

/**
 * Where `cd DIR`, `pushd DIR` or `popd` leaves the shell. `dirs` is the pushd stack, changed in
 * place. A directory only known at run time makes later relative paths unknown.
 */
export function changeDir(name: string, args: readonly Word[], paths: PathContext, dirs: PathContext[], powershell: boolean): PathContext {
  const project = paths.project ?? paths.cwd;
  const unknown: PathContext = { ...paths, project, cwdUnknown: true, moved: true };
  // A container's paths stay a container's (`docker run … sh -c 'cd /h && rm -rf *'`).
  const at = (cwd: string): PathContext => ({ cwd, home: paths.home, project, moved: true, ...(paths.container ? { container: paths.container } : {}) });
  if (name === "popd" || name === "pop-location") return dirs.pop() ?? unknown;
  if (name === "pushd" || name === "push-location") dirs.push(paths);
  const operands = args.filter((w) => w.dynamic || !(powershell ? w.param === true : /^-[LPe@]+$/.test(w.text)));
  const target = operands[0];
  if (!target) return powershell ? paths : at(paths.home);
  if (target.dynamic || target.text === "-" || target.text.startsWith("+") || target.text.startsWith("~")) return unknown;
  const windows = /^[A-Za-z]:/.test(target.text) || (powershell && /^[A-Za-z]:/.test(paths.cwd));
  // PowerShell (and cmd.exe, read as it) takes `\` as a separator too: `\` alone is the current
  // drive's root, `/` where the working directory has no drive. A share (`\\server\share`) is elsewhere.
  if (powershell && !windows && /^[\\/]{2}/.test(target.text)) return unknown;
  const text = powershell && !windows ? target.text.replace(/\\/g, "/") : target.text;
  const absolute = windows ? path.win32.isAbsolute(text) && /^[A-Za-z]:/.test(text) : text.startsWith("/");
  if (paths.cwdUnknown && !absolute) return paths;
  return at(windows ? path.win32.resolve(/^[A-Za-z]:/.test(paths.cwd) ? paths.cwd : "C:\\", text) : path.posix.resolve(paths.cwd, text));
}

/**
 * The variables a line starts with that say where it is: PWD, the working directory the analysis
 * starts in (none where it is only known at run time). The parsers leave `$PWD` and `~+` to the
 * evaluator from a `cd` on (see `ExpandContext.cwdChanged`), so one a branch or a subshell skipped
 * still reads this.
 */
export function startDir(paths: PathContext): [string, string][] {
  return paths.cwdUnknown ? [] : [["PWD", paths.cwd]];
}

/**
 * What a `cd`, `pushd` or `popd` from `before` to `after` leaves in PWD and OLDPWD, as the shell sets
 * them: `cd / && rm -rf $PWD` deletes /. A directory only known at run time leaves its name unknown.
 */
export function followDir(vars: Variables, maybe: MaybeValues, before: PathContext, after: PathContext): void {
  for (const [name, dir] of [["OLDPWD", before], ["PWD", after]] as const) setDir(vars, maybe, name, dir);
}

/**
 * Where text run after a `cd` (`PathContext.moved`) starts: a child process (`cd / && bash -c 'rm
 * -rf $PWD'`) in the directory the line is in, whose PWD bash, dash and zsh set to it (one inherited
 * that names another directory is replaced; fish sets its own). Text the shell runs itself (`eval`)
 * reads the shell's PWD, which `followDir` keeps. Either way its parser leaves `$PWD` and `~+` to the
 * evaluator (`ExpandContext.cwdChanged`).
 */
export function childDir(vars: Variables, maybe: MaybeValues, paths: PathContext): void {
  setDir(vars, maybe, "PWD", paths);
}

function setDir(vars: Variables, maybe: MaybeValues, name: string, dir: PathContext): void {
  maybe.delete(name);
  if (dir.cwdUnknown) vars.delete(name);
  else vars.set(name, dir.cwd);
}
