import type { Node, Parser } from "web-tree-sitter";
import { wordOf, type ExpandContext } from "../shell/bash-parser.js";
import type { Word } from "../shell/ir.js";
import { changesWhatRuns } from "./what-runs.js";

/** `NAME=value` as a word of a command part: the value after quote removal, `\u0000` for run-time values. */
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
}

/** The words of a command as wren's shell form has them, joined: the key of {@link LineAssignments.prefixed}. */
export const wordsKey = (words: readonly Word[]): string => words.map((w) => w.text).join("\u0001");

/** Finds the assignments of a bash command line that change what runs (the shell form drops their names). */
export function lineAssignments(parser: Parser, command: string, env: ExpandContext): LineAssignments {
  const out: LineAssignments = { prefixed: new Map(), alone: [], cleared: [] };
  const tree = parser.parse(command);
  if (!tree) return out;
  try {
    visit(tree.rootNode, out, env);
  } finally {
    tree.delete();
  }
  return out;
}

function visit(node: Node, out: LineAssignments, env: ExpandContext): void {
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
  } else if (node.type === "variable_assignment" && node.parent?.type !== "command") {
    const a = assignmentOf(node, env);
    if (a) out.alone.push(a);
  } else if (node.type === "unset_command" || node.type === "declaration_command") {
    out.cleared.push(...clearedBy(node));
  } else if (node.type === "for_statement") {
    const name = node.childForFieldName("variable")?.text ?? "";
    if (changesWhatRuns(name)) out.alone.push({ name, text: `${name}=\u0000`, dynamic: true });
  }
  for (const c of node.namedChildren) if (c) visit(c, out, env);
}

function assignmentOf(node: Node, env: ExpandContext): Assignment | undefined {
  const name = node.childForFieldName("name")?.text ?? "";
  const base = name.replace(/\[.*$/s, "");
  if (!changesWhatRuns(base)) return undefined;
  const value = node.childForFieldName("value");
  const word = value ? wordOf(value, env) : undefined;
  const op = node.children.some((c) => c?.type === "+=") ? "+=" : "=";
  return { name: base, text: `${name}${op}${word?.text ?? ""}`, dynamic: word?.dynamic ?? false };
}

/**
 * The names an `unset` (not `unset -f`, which removes functions), an `export -n` or a `declare +x`
 * (`typeset`, `local`) clears, as written: a name the shell works out (`unset "$N"`) is not one.
 */
function clearedBy(node: Node): string[] {
  const options = node.namedChildren.filter((c) => c?.type === "word" && /^[-+]/.test(c.text)).map((c) => c?.text ?? "");
  const keyword = node.child(0)?.type ?? "";
  const clears =
    keyword === "unset"
      ? !options.some((o) => /^-[^-]*f/.test(o))
      : keyword === "export"
        ? options.some((o) => /^-[^-]*n/.test(o))
        : ["declare", "typeset", "local"].includes(keyword) && options.some((o) => /^\+\w*x/.test(o));
  if (!clears) return [];
  return node.namedChildren.filter((c) => c?.type === "variable_name" && changesWhatRuns(c.text)).map((c) => c?.text ?? "");
}
