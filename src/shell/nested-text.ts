/**
 * Text the shell runs itself (`eval`) or in a child shell (`sh -c`), judged one level deeper through
 * the evaluator's `ctx.ops.evalScript`: the directory, PWD, HOME and aliases it starts with.
 */
import { forkMap } from "./shared-map.js";
import { unresolved, type Ctx, type HomeFromVars } from "./evaluate-context.js";
import { childDir } from "./workdir.js";
import { movesDir } from "./script-names.js";
import type { ShellKind } from "./types.js";

export const MAX_DEPTH = 8;

/** The aliases a line read now is expanded with: in bash, zsh and sh, those defined so far (see `Ctx.lineAliases`), none where they are `off`. */
export function readAliases(shell: ShellKind, aliases: ReadonlyMap<string, string>, reading?: Ctx["aliasReading"]): ReadonlyMap<string, string> | undefined {
  if (reading === "off") return new Map();
  return shell === "bash" || shell === "zsh" || shell === "sh" ? forkMap(aliases) : undefined;
}

export function nested(ctx: Ctx, text: string, shell: ShellKind, cmdLine = false): void {
  if (ctx.depth >= MAX_DEPTH) {
    unresolved(ctx, "commands nested too deeply to analyse");
    return;
  }
  const vars = forkMap(ctx.vars);
  const maybe = forkMap(ctx.maybe);
  // After a `cd` (`cd / && bash -c 'rm -rf $PWD'`) the child starts where the line is, its PWD that directory.
  const moved = movedFrom(ctx, shell);
  // A PWD the line set is replaced too (`PWD=/ bash -c 'rm -rf $PWD'` deletes the folder it is in).
  if (moved || pwdSet(ctx)) childDir(vars, maybe, ctx.paths);
  ctx.ops.evalScript(ctx.parse(text, shell, ctx.homeFromVars, undefined, moved), { ...ctx, cmdLine, shell, depth: ctx.depth + 1, findings: ctx.findings, vars, maybe, scopes: [], branches: [], lineAliases: readAliases(shell, ctx.aliases, ctx.aliasReading) });
}

/** Whether text run now in `shell` starts after a `cd` on the line (see `PathContext.moved`); PowerShell's `$PWD` is read otherwise. */
export function movedFrom(ctx: Ctx, shell: ShellKind): boolean {
  return ctx.paths.moved === true && ctx.shell !== "powershell" && shell !== "powershell";
}

/**
 * Whether the shell's PWD is not the directory it is in: the line set it (`PWD=/; eval 'rm -rf
 * $PWD'`). The evaluator holds PWD from the start of such a line (see `movesDir`). fish's PWD is
 * read-only (`set PWD /` fails).
 */
export function pwdSet(ctx: Ctx): boolean {
  if (ctx.shell === "powershell" || ctx.shell === "fish" || ctx.paths.cwdUnknown || !movesDir(ctx.shell, ctx.named)) return false;
  return ctx.maybe.has("PWD") || ctx.vars.get("PWD") !== ctx.paths.cwd;
}

/** Evaluates text the current shell runs itself (`eval 'x=/'`): what it assigns holds for the rest of the line. */
export function nestedHere(ctx: Ctx, text: string): void {
  if (ctx.depth >= MAX_DEPTH) {
    unresolved(ctx, "commands nested too deeply to analyse");
    return;
  }
  const states: Ctx[] = [];
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1, scopes: [], branches: [], lineAliases: readAliases(ctx.shell, ctx.aliases, ctx.aliasReading) };
  inner.elsewhere = { owner: inner, states };
  // After a `cd` its `$PWD` is the shell's PWD, which the evaluator follows (`cd / && eval 'rm -rf $PWD'`), as after `PWD=/`.
  ctx.ops.evalScript(ctx.parse(text, ctx.shell, hereHome(ctx), undefined, movedFrom(ctx, ctx.shell) || pwdSet(ctx)), inner);
  // `eval 'cd /'`, `eval 'pushd /'`: the directory it leaves holds too, and so do the others a
  // reading of it may leave (`eval 'cd ${x:-/}'`).
  ctx.paths = inner.paths;
  ctx.dirs = inner.dirs;
  if (ctx.elsewhere?.owner === ctx) ctx.elsewhere.states.push(...states);
}

/**
 * How text the shell runs itself reads `$HOME` and `~` (see `Ctx.homeFromVars`): a known, non-empty
 * HOME the shell holds (`HOME=/; eval 'rm -rf ~'`, `HOME=/ eval …`) is both, as the line's own words
 * read one it set (see `ExpandContext.homeAssigned`). One unset (bash's `~` is then the user
 * database's home), empty or only known at run time leaves `~` as it was.
 */
export function hereHome(ctx: Ctx): HomeFromVars | undefined {
  if (ctx.homeFromVars === "tilde") return "tilde";
  const home = ctx.vars.get("HOME");
  if (home !== undefined && home !== "" && !ctx.maybe.has("HOME")) return "tilde";
  return ctx.maybe.has("HOME") ? true : ctx.homeFromVars;
}
