/**
 * What a bash variable reads where the parser knows it: `$HOME` and `$PWD`, and names that
 * `declare -n` (also as `builtin declare -n`) made references to another variable.
 */
import type { Node } from "web-tree-sitter";
import type { Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import type { ExpandContext } from "./expand-context.js";
import { alwaysRuns } from "./bash-nodes.js";
import { declarationOf, DECLARING, leadingOptions } from "./declaration-options.js";

/** Makes `name` a reference to the variable `value` names (see `references` in bash-parser.ts); undefined: a value only known at run time. */
export function refer(name: string, value: string | undefined, always: boolean, env: ExpandContext): void {
  env.references?.delete(name);
  env.defaults?.delete(name);
  if (value === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) || value === name) return;
  const target = env.references?.get(value) ?? value;
  if (always) env.references?.set(name, target);
  else env.defaults?.set(name, { op: ":-", word: readOf(target, env) });
}

/**
 * `builtin declare -n x=HOME`, `command typeset -n x=HOME`, `\declare -n x=HOME`: a declaration the
 * grammar reads as an ordinary command, which the evaluator runs as its plain form. The references
 * it makes are followed as the plain form's are, and a name it assigns or unsets that is a reference
 * stands for the variable it names (`declare -n x=y; builtin unset x` unsets y), so the evaluator
 * assigns that one.
 */
export function prefixedDeclaration(node: Node, argv: Word[], env: ExpandContext): void {
  let at = 0;
  for (let w = argv[0]; w && !w.dynamic && (w.text === "builtin" || w.text === "command" || w.text === "--"); w = argv[at]) {
    at++;
    // `command -p declare` runs it; `command -v declare` only says what it is.
    if (w.text === "command") while (argv[at]?.text === "-p" && !argv[at]?.dynamic) at++;
  }
  const name = argv[at];
  if (!name || name.dynamic || !DECLARING.has(name.text)) return;
  const args = argv.slice(at + 1);
  const { options, rest } = leadingOptions(name.text, args);
  const { none, reference } = declarationOf(name.text, options);
  if (none) return;
  for (let i = at + 1 + rest; i < argv.length; i++) {
    const w = argv[i];
    const assigned = w && /^([A-Za-z_][A-Za-z0-9_]*)(=?)/.exec(w.text);
    if (!w || !assigned?.[1] || (!assigned[2] && (w.dynamic || assigned[1] !== w.text))) continue;
    const variable = assigned[1];
    if (reference && assigned[2]) refer(variable, w.dynamic ? undefined : w.text.slice(variable.length + 1), alwaysRuns(node), env);
    const target = reference ? undefined : env.references?.get(variable);
    if (target === undefined) continue;
    argv[i] = { ...w, text: target + w.text.slice(variable.length) };
    if (target === "HOME" && assigned[2] && alwaysRuns(node)) env.homeAssigned = true;
  }
}

/** What `$name` reads: a known variable's value, or the variable left for the evaluator. */
function readOf(name: string, env: ExpandContext): Word {
  const known = knownVariable(name, env);
  return known !== undefined ? literalWord(known) : { text: RUN_TIME, dynamic: true, glob: false, subs: [], vars: [name], bare: true };
}

export function knownVariable(name: string, env: ExpandContext): string | undefined {
  if (name === "HOME") return env.homeFromVars || env.homeAssigned ? undefined : env.home;
  if (name === "PWD") return env.cwdUnknown || env.cwdChanged ? undefined : env.cwd;
  return undefined;
}
