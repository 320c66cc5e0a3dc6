import type { Node, Parser } from "web-tree-sitter";
import { wordOf, type ExpandContext } from "../shell/bash-parser.js";
import { declarationOf, DECLARING, leadingOptions, type Declaration as Options } from "../shell/declaration-options.js";
import { RUN_TIME, literalWord, type Word } from "../shell/ir.js";
import type { ShellKind } from "../shell/types.js";
import { changesWhatRuns } from "./what-runs.js";

/** `NAME=value` as a word of a command part: the value after quote removal, `RUN_TIME` for run-time values. */
export interface Assignment {
  /** The variable's name (`PATH` of `PATH[0]=…`). */
  name: string;
  text: string;
  dynamic: boolean;
}

export interface LineAssignments {
  /**
   * Assignments that change what runs, written before a command (`LD_PRELOAD=x npm test`), by the
   * command's words (joined by `\u0001`): the walk over wren's shell form finds them there.
   */
  prefixed: Map<string, Assignment[][]>;
  /** Such assignments on their own (`PATH=…; npm test`, `export PATH=…`, `for PATH in …`): they change every later command. */
  alone: Assignment[];
  /**
   * Such variables the line unsets or stops exporting, by the names it writes (`unset PATH`,
   * `unset -v PATH`, `export -n PATH`, `declare +x PATH`): later commands no longer inherit them.
   */
  cleared: string[];
  /**
   * The line's `unset`, `export`, `declare`, `typeset`, `local` and `readonly` commands, which
   * wren's shell form reads as assignments, not as commands: each is a part of its own, so a rule can
   * name it (`Bash(unset *)`, `Bash(export FOO=*)`).
   */
  declarations: Declaration[];
}

/** A command that declares, exports or unsets variables (`export FOO=bar`, `unset -v X`). */
export interface Declaration {
  /** Its words after quote removal, the builtin's name first; an assignment as `NAME=value`. */
  words: Word[];
  /** What it does to variables that change what runs beyond the assignments that are parts of their own (see {@link namedWhatRuns}). */
  whatRuns: string[];
}

/** The words of a command as wren's shell form has them, joined: the key of {@link LineAssignments.prefixed}. */
export const wordsKey = (words: readonly Word[]): string => words.map((w) => w.text).join("\u0001");

/**
 * Finds the assignments of a bash (or zsh, sh) command line that change what runs (the shell form
 * drops their names). `shell` is the session's: zsh reads `export -p` and `readonly -p` as prints.
 */
export function lineAssignments(parser: Parser, command: string, env: ExpandContext, shell: ShellKind = "bash"): LineAssignments {
  const out: LineAssignments = { prefixed: new Map(), alone: [], cleared: [], declarations: [] };
  const tree = parser.parse(command);
  if (!tree) return out;
  try {
    visit(tree.rootNode, out, env, shell);
  } finally {
    tree.delete();
  }
  return out;
}

function visit(node: Node, out: LineAssignments, env: ExpandContext, shell: ShellKind): void {
  if (node.type === "command") {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === "variable_assignment") {
        const a = assignmentOf(c, env);
        if (a) assignments.push(a);
      } else if (c.type === "command_name") words.unshift(wordOf(c.firstNamedChild ?? c, env));
      else if (!["file_redirect", "herestring_redirect", "comment"].includes(c.type)) words.push(wordOf(c, env));
    }
    if (assignments.length > 0 && words.length > 0) {
      const key = wordsKey(words);
      out.prefixed.set(key, [...(out.prefixed.get(key) ?? []), assignments]);
    }
    // `builtin unset PATH`, `command export -n PATH`, `\unset PATH`: the grammar reads them as commands.
    const declared = declaringWords(words);
    if (declared) out.cleared.push(...clearedBy(declared, shell));
  } else if (node.type === "variable_assignment" && node.parent?.type !== "command") {
    const a = assignmentOf(node, env);
    if (a) out.alone.push(a);
  } else if (node.type === "unset_command" || node.type === "declaration_command") {
    const args = argumentsOf(node, env);
    const words = [literalWord(node.child(0)?.text ?? ""), ...args.map((a) => a.word)];
    // An assignment that changes what runs is a part of its own (`alone`); under `-n` its value names a variable too.
    const shown = new Set(args.filter((a) => a.assignment).map((a) => a.word));
    out.declarations.push({ words, whatRuns: namedWhatRuns(words, shell, shown) });
    out.cleared.push(...clearedBy(words, shell));
    // `declare -p PATH=/x` (`declare -f`, zsh's `export -p`) assigns nothing: only what its values run (`$(…)`) is looked into.
    if (readDeclaration(words, shell).none) {
      for (const c of node.namedChildren) if (c) for (const inner of c.type === "variable_assignment" ? c.namedChildren : [c]) if (inner) visit(inner, out, env, shell);
      return;
    }
  } else if (node.type === "for_statement") {
    const name = node.childForFieldName("variable")?.text ?? "";
    if (changesWhatRuns(name)) out.alone.push({ name, text: `${name}=${RUN_TIME}`, dynamic: true });
  }
  for (const c of node.namedChildren) if (c) visit(c, out, env, shell);
}

function assignmentOf(node: Node, env: ExpandContext): Assignment | undefined {
  const name = node.childForFieldName("name")?.text ?? "";
  const base = name.replace(/\[.*$/s, "");
  if (!changesWhatRuns(base)) return undefined;
  const word = assignedWord(node, env);
  return { name: base, text: word.text, dynamic: word.dynamic };
}

/**
 * The arguments of an `unset`, `export`… as the shell splits them: the grammar gives `unset X[1]`
 * two children, `X` and `[1]`, which are one word.
 */
function argumentsOf(node: Node, env: ExpandContext): { word: Word; assignment: boolean }[] {
  const out: { word: Word; assignment: boolean; end: number }[] = [];
  for (const c of node.namedChildren) {
    if (!c || c.type === "comment") continue;
    const word = c.type === "variable_assignment" ? assignedWord(c, env) : wordOf(c, env);
    const last = out[out.length - 1];
    if (last && last.end === c.startIndex) {
      last.word = { text: last.word.text + word.text, dynamic: last.word.dynamic || word.dynamic, glob: last.word.glob || word.glob, subs: [...last.word.subs, ...word.subs] };
      last.assignment = false;
      last.end = c.endIndex;
    } else out.push({ word, assignment: c.type === "variable_assignment", end: c.endIndex });
  }
  return out;
}

/** `NAME=value` (`NAME+=value`) as one word, the value after quote removal. */
function assignedWord(node: Node, env: ExpandContext): Word {
  const name = node.childForFieldName("name")?.text ?? "";
  const value = node.childForFieldName("value");
  const word = value ? wordOf(value, env) : undefined;
  const op = node.children.some((c) => c?.type === "+=") ? "+=" : "=";
  return { text: `${name}${op}${word?.text ?? ""}`, dynamic: word?.dynamic ?? false, glob: false, subs: word?.subs ?? [] };
}

/**
 * The words of a declaring builtin run through `builtin` or `command` (`builtin unset PATH` →
 * `unset PATH`), or as a command the grammar does not know as one (`\unset PATH`); undefined for
 * any other command, and for `command -v export`, which only says what `export` is.
 */
export function declaringWords(words: readonly Word[]): Word[] | undefined {
  let i = 0;
  while (words[i]?.text === "builtin" || words[i]?.text === "command" || (words[i]?.text === "-p" && words[i - 1]?.text === "command")) i++;
  const keyword = words[i];
  return keyword && !keyword.dynamic && DECLARING.has(keyword.text) ? words.slice(i) : undefined;
}

/**
 * What a declaring builtin's words do, read as the shell analysis reads them (see `declarationOf`):
 * its options are those before the first other word or `--` (`export PATH=/x -p` exports PATH, and
 * `unset PATH -f` unsets it), and `names` are the words after them.
 */
function readDeclaration(words: readonly Word[], shell: ShellKind): Options & { names: Word[] } {
  const [keyword, ...args] = words;
  const { options, rest } = leadingOptions(keyword?.text ?? "", args, shell);
  return { ...declarationOf(keyword?.text ?? "", options, shell), names: args.slice(rest) };
}

/**
 * The variables that change what runs which a declaring builtin's words name (`unset PATH`,
 * `export -n LD_PRELOAD`, `readonly PATH`, `export 'PATH=/x'`, `declare -n R=PATH`): only a rule
 * that names the command exactly allows it. `RUN_TIME` for a name wren cannot read as written
 * (`unset "$N"`, `export $(cat vars)`, `unset {PA,}TH`, `unset PAT[H]`), which may be any of them.
 * `shown`: assignments among the words that are parts of their own, left out but under `-n`.
 */
export function namedWhatRuns(words: readonly Word[], shell: ShellKind = "bash", shown: ReadonlySet<Word> = new Set()): string[] {
  const { none, reference, names: args } = readDeclaration(words, shell);
  if (none) return [];
  const names: string[] = [];
  for (const arg of args) {
    if (!reference && shown.has(arg)) continue;
    // Not a name: bash refuses it (`export PATH=/x -p`).
    if (!arg.dynamic && /^[-+]/.test(arg.text)) continue;
    const [name = "", ...value] = arg.text.split("=");
    for (const named of reference && value.length > 0 ? [name, value.join("=")] : [name]) {
      const base = named.replace(/\+$/, "").replace(/\[[^\]]*\]$/, "");
      // A pattern is a file's name where one matches (`unset PAT[H]` beside a file PATH unsets PATH).
      if (arg.glob || !/^[A-Za-z_]\w*$/.test(base)) names.push(RUN_TIME);
      else if (changesWhatRuns(base)) names.push(base);
    }
  }
  return [...new Set(names)];
}

/**
 * The names an `unset` (not `unset -f`, which removes functions), an `export -n` or a `declare +x`
 * (`typeset`, `local`) clears, as written, the builtin's name first: a name the shell works out
 * (`unset "$N"`) is not one.
 */
function clearedBy(words: readonly Word[], shell: ShellKind): string[] {
  const { none, unexported, names: args } = readDeclaration(words, shell);
  if (none || !(words[0]?.text === "unset" || unexported)) return [];
  return args.filter((a) => !a.dynamic && /^[A-Za-z_]\w*$/.test(a.text) && changesWhatRuns(a.text)).map((a) => a.text);
}
