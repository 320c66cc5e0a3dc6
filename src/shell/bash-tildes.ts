/**
 * Tilde expansion as bash does it: which `~` starting a word it expands, the tildes of an
 * assignment's value, and `~` and `~+` once the line set HOME or ran `cd` (`expandTilde` in paths.ts
 * gives their values).
 */
import type { Node } from "web-tree-sitter";
import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import type { ExpandContext } from "./expand-context.js";
import { unescapeUnquoted } from "./bash-escapes.js";
import { expandTilde } from "./paths.js";

/**
 * Whether bash expands the `~` that starts a word node: only when the tilde-prefix (from the `~` to
 * the first unquoted `/`, or the word's end) is all unquoted text at the start of the whole word.
 * `~"/x"`, `~""`, `~"bob"/x`, `""~/x` and `~\/x` keep the text `~`; `~/"x"` is the home.
 */
export function tildeExpands(node: Node): boolean {
  const prefix = /^~[^/]*/.exec(node.text)?.[0];
  if (prefix === undefined || prefix.includes("\\")) return false;
  const parent = node.parent;
  if (parent?.type !== "concatenation") return true;
  // In `~"/x"` or `~$d` the prefix runs on into the next part, which is quoted or an expansion.
  return parent.firstChild?.id === node.id && prefix.length < node.text.length;
}

/** `NAME=`, `NAME+=` at the start of a command's argument: bash (not in POSIX mode) expands its tildes as an assignment's. */
const ASSIGNMENT_LIKE = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/**
 * In an assignment's value bash expands a `~` after each unquoted `:` as well as at the start
 * (`x=a:~/y` is `a:$HOME/y`, `PATH=~/bin:~/.local/bin`), its tilde-prefix ending at a `/` or `:`.
 * So it does in a command's argument written as an assignment (`env x=a:~/y`, `builtin declare
 * x=~/y`, `dd of=~/x`), after the first `=`; not in an array's elements nor in `--prefix=~/x`.
 * A plain word node of such a value, with its tildes filled in; undefined where it has none to fill.
 */
export function assignmentTildes(node: Node, env: ExpandContext): Word | undefined {
  const raw = node.text;
  if (node.type !== "word" || !raw.includes("~")) return undefined;
  const parent = node.parent;
  const whole = parent?.type === "concatenation" ? parent : node;
  const first = whole === node || parent?.firstChild?.id === node.id;
  const value = whole.parent?.type === "variable_assignment" && whole.parent.childForFieldName("value")?.id === whole.id;
  const head = whole === node ? raw : whole.firstChild?.type === "word" ? whole.firstChild.text : "";
  const argument = !value && whole.parent?.type === "command" && ASSIGNMENT_LIKE.test(head);
  if (!value && !argument) return undefined;
  // Where a tilde-prefix may start: the value's start, after an argument's first `=`, after each unquoted `:`.
  const starts: number[] = [];
  if (first && value) starts.push(0);
  const equals = first && argument ? raw.indexOf("=") + 1 : 0;
  if (equals > 0) starts.push(equals);
  for (let i = equals; i < raw.length; i++) {
    if (raw[i] === "\\") i++;
    else if (raw[i] === ":") starts.push(i + 1);
  }
  const last = parent?.type !== "concatenation" || parent.lastChild?.id === node.id;
  let text = "";
  let at = 0;
  const vars: string[] = [];
  let unknown = false;
  for (const start of starts) {
    const prefix = /^~[^/:]*/.exec(raw.slice(start))?.[0];
    // A prefix with a quote or escape in it, or running on into the next part (`a:~"/y"`), is text.
    if (prefix === undefined || prefix.includes("\\") || (!last && start + prefix.length === raw.length)) continue;
    const home = prefix === "~" && env.homeAssigned ? "HOME" : prefix === "~+" && env.cwdChanged && !env.cwdUnknown ? "PWD" : undefined;
    const expanded = home ? undefined : expandTilde(prefix, env);
    if (expanded === undefined && !home) continue;
    text += unescapeUnquoted(raw.slice(at, start));
    if (home) vars.push(home);
    else if (expanded === null) unknown = true;
    text += home || expanded === null ? RUN_TIME : expanded;
    at = start + prefix.length;
  }
  if (at === 0) return undefined;
  text += unescapeUnquoted(raw.slice(at));
  const glob = /(^|[^\\])[*?[]/.test(raw);
  if (unknown) return { text: RUN_TIME, dynamic: true, glob: false, subs: [] };
  return vars.length > 0 ? { text, dynamic: true, glob, subs: [], vars } : { text, dynamic: false, glob, subs: [] };
}

/**
 * `~` and `~/…` once the line set HOME (see {@link ExpandContext.homeAssigned}): HOME's value, as bash,
 * sh and zsh read them; `~+` and `~+/…` after a `cd` (see {@link ExpandContext.cwdChanged}): PWD's.
 */
export function homeTilde(text: string, env: ExpandContext): Word | undefined {
  const name = /^~(\/|$)/.test(text) ? env.homeAssigned && "HOME" : /^~\+(\/|$)/.test(text) ? env.cwdChanged && !env.cwdUnknown && "PWD" : undefined;
  if (!name) return undefined;
  const prefix = name === "HOME" ? 1 : 2;
  return { text: `${RUN_TIME}${text.slice(prefix)}`, dynamic: true, glob: /[*?[]/.test(text), subs: [], vars: [name] };
}
