/**
 * A line's names read ahead of judging it: the words it holds (`namesIn`), the functions it defines,
 * whether one runs itself again in a pipeline or the background, whether it may move its working directory.
 */
import type { Script, Unit, Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { DIR_MOVERS } from "./workdir.js";
import type { ShellKind } from "./types.js";

/**
 * Whether a line may move its working directory, so that its `$PWD` is left to the evaluator (see
 * `ExpandContext.cwdChanged`): one without a cd-like word (`cd`, `pushd`, `eval`, …) anywhere never
 * reads PWD from the evaluator's variables, and starting them empty keeps every line that assigns
 * nothing on the evaluator's fast paths (a PWD set for every line made the long-script bench 1.6
 * times slower). Undefined `named` (a part not read) may hold one.
 */
export function movesDir(shell: ShellKind, named: ReadonlySet<string> | undefined): boolean {
  if (shell === "powershell") return false;
  return named === undefined || named.has("PWD") || [...DIR_MOVERS].some((name) => named.has(name));
}

/**
 * Every name the line's words hold (split at blanks and shell punctuation), lower-case for
 * PowerShell: a function whose name is not among them is never called, unless by text wren cannot see.
 * Undefined where a part could not be read, which may call any of them.
 */
export function namesIn(script: Script, powershell: boolean, names = new Set<string>(), seen = new Set<Script | Unit>()): Set<string> | undefined {
  // A block's commands are also its redirection's body (`{ …; } > x`): each is read once.
  if (seen.has(script)) return names;
  seen.add(script);
  let unread = false;
  const add = (w: Word | undefined): void => {
    if (!w) return;
    for (const t of w.text.replaceAll(RUN_TIME, " ").split(/[\s;|&()<>'"`$={}]+/)) if (t) names.add(powershell ? t.toLowerCase() : t);
    for (const s of w.subs) if (!namesIn(s, powershell, names, seen)) unread = true;
  };
  for (const u of script.units) {
    if (seen.has(u)) continue;
    seen.add(u);
    if (u.kind === "pipeline") {
      for (const c of u.stages) {
        c.argv.forEach(add);
        c.redirects.forEach((r) => add(r.target));
        add(c.stdinText);
        for (const a of c.env ?? []) add(a.value);
        if (c.body && !namesIn(c.body, powershell, names, seen)) return undefined;
      }
    } else if (u.kind === "function" && !namesIn(u.body, powershell, names, seen)) return undefined;
    else if (u.kind === "expand") u.words.forEach(add);
    else if (u.kind === "assign") {
      // A line that sets PWD reads it from the evaluator's variables, as after a cd (see `movesDir`).
      if (u.name === "PWD") names.add(u.name);
      add(u.value);
      if (u.source && !namesIn(u.source, powershell, names, seen)) return undefined;
    } else if (u.kind === "unresolved") return undefined;
  }
  return unread ? undefined : names;
}

export function definedFunctions(script: Script, powershell: boolean, names = new Set<string>()): Set<string> {
  for (const unit of script.units) {
    if (unit.kind !== "function") continue;
    names.add(powershell ? unit.name.toLowerCase() : unit.name);
    definedFunctions(unit.body, powershell, names);
  }
  return names;
}

export function spawnsItself(name: string, body: Script): boolean {
  for (const unit of body.units) {
    if (unit.kind === "pipeline") {
      const calls = unit.stages.filter((c) => c.argv[0]?.text === name);
      if (calls.length > 0 && (unit.stages.length > 1 || calls.some((c) => c.background))) return true;
    } else if (unit.kind === "function" && spawnsItself(name, unit.body)) {
      return true;
    }
  }
  return false;
}
