/**
 * Where a node of tree-sitter-bash's tree stands: its named children, whether it is a statement,
 * whether it runs whatever else the line does or may not run, whether it is inside double quotes.
 */
import type { Node } from "web-tree-sitter";

export function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/**
 * Whether `child` of `node` may not run: a branch of `if` (what follows its first `then`, an `elif`
 * or `else` too), of `case`, or a loop's body (a list's later commands: see `walk`).
 */
export function mayNotRun(node: Node, child: Node): boolean {
  if (node.type === "if_statement" || node.type === "elif_clause") {
    const then = node.children.find((c) => c?.type === "then");
    return !!then && child.startIndex >= then.endIndex;
  }
  if (node.type === "case_statement") return child.type === "case_item";
  return child.type === "do_group";
}

/**
 * `HOME=…` as a statement that runs whatever else the line does: one of the line's own statements,
 * the first of a list (`HOME=/x && …`) or in `export`/`declare` there. Later `$HOME` and `~` of
 * the line are then its value. One inside a condition, loop, function or subshell may not run (or
 * not here), so there HOME stays the user's home, as it does again after `unset HOME` (bash's `~`
 * is then the home in the password database), `eval` or `source`.
 */
export function setsHome(node: Node): boolean {
  return node.type === "variable_assignment" && node.childForFieldName("name")?.text === "HOME" && alwaysRuns(node);
}

/** A statement that runs whatever else the line does (see {@link setsHome}). */
export function alwaysRuns(node: Node): boolean {
  for (let n: Node = node; ; ) {
    const parent = n.parent;
    if (!parent) return false;
    if (parent.type === "program") return true;
    if (parent.type === "list" && parent.firstNamedChild?.id !== n.id) return false;
    if (parent.type !== "list" && parent.type !== "declaration_command") return false;
    n = parent;
  }
}

const STATEMENTS = new Set([
  "command", "redirected_statement", "pipeline", "list", "subshell", "compound_statement", "if_statement",
  "while_statement", "for_statement", "c_style_for_statement", "case_statement", "function_definition",
  "do_group", "else_clause", "elif_clause", "negated_command", "declaration_command", "variable_assignment",
  "variable_assignments", "unset_command", "test_command", "case_item",
]);

export function isStatement(node: Node): boolean {
  return STATEMENTS.has(node.type);
}

/** Whether a node is inside `"…"`, `$"…"` or a here-document body (not inside a `$(…)` there). */
export function inDoubleQuotes(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === "string" || n.type === "translated_string" || n.type === "heredoc_body") return true;
    if (n.type === "command_substitution" || n.type === "process_substitution") return false;
  }
  return false;
}
