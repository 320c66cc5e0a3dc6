/**
 * Where tree-sitter-bash reads a line otherwise than bash does (backslash-newlines, `<>`, a
 * here-string after another redirection), and whether what is left is a syntax error.
 */
import type { Node } from "web-tree-sitter";
import { named } from "./bash-nodes.js";

/** Where a backslash-newline is text, not a line continuation. */
const KEEPS_CONTINUATIONS = new Set(["raw_string", "ansi_c_string", "comment", "heredoc_body"]);

/**
 * Bash removes every backslash-newline outside single quotes, comments and here-documents before it
 * splits words, so `r\⏎m -rf ~` is `rm -rf ~`; the grammar ends the word at the backslash instead
 * (`r` with the argument `m`). The text with those pairs removed is what bash reads.
 */
export function joinContinuations(text: string, root: Node): string {
  const kept: [number, number][] = [];
  const visit = (node: Node): void => {
    if (KEEPS_CONTINUATIONS.has(node.type)) kept.push([node.startIndex, node.endIndex]);
    else for (const c of named(node)) visit(c);
  };
  visit(root);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    if (text[i + 1] === "\n" && !kept.some(([s, e]) => i >= s && i < e)) {
      i++;
      continue;
    }
    // An escaped backslash is text (`\\⏎` ends the line), as is a pair inside quotes or a comment.
    out += text.slice(i, i + 2);
    i++;
  }
  return out;
}

/**
 * The grammar has no `<>` (open for reading and writing): it reads `<` as an error and `>…` as a
 * redirection of output. That `<` is no syntax error to bash, and the two are one redirection.
 */
export function isReadWriteHalf(node: Node): boolean {
  if (node.type !== "ERROR") return false;
  // `<>F`: the `<` is the error, `>` the redirection; `<> F`: the other way round.
  if (node.text === ">") return node.previousSibling?.type === "<" && node.previousSibling.endIndex === node.startIndex;
  if (node.text !== "<") return false;
  const next = node.nextSibling;
  const op = next?.type === "file_redirect" ? next.firstChild : next;
  return op?.type === ">" && op.startIndex === node.endIndex;
}

/**
 * The grammar takes no here-string after another redirection (`cat > x <<< y`, `cat > x 2<<< y`): it
 * reads `<<` as an error and `< y` as a redirection of input. bash reads one here-string, `y`.
 */
export function isHereStringHalf(node: Node): boolean {
  if (node.type !== "ERROR" || node.text !== "<<") return false;
  const next = node.nextSibling;
  if (next?.startIndex !== node.endIndex) return false;
  return next.type === "<" || (next.type === "file_redirect" && next.firstChild?.type === "<");
}

export function hasSyntaxError(node: Node): boolean {
  if (!node.hasError) return false;
  if (node.isMissing || (node.type === "ERROR" && !isReadWriteHalf(node) && !isHereStringHalf(node))) return true;
  return node.children.some((c) => c !== null && hasSyntaxError(c));
}

/**
 * The grammar has no `coproc NAME { … }` or `coproc ( … )`: it reads `coproc` as a command with the
 * block's words as arguments. bash runs the block alongside the shell, so the text with `coproc`
 * (and its NAME) blanked out, same length, is what is analysed. `coproc cmd args` needs no help: it
 * is read as a wrapper.
 */
export function blankCoprocs(text: string, root: Node): string {
  const cuts: [number, number][] = [];
  const visit = (node: Node): void => {
    const name = node.type === "command" ? node.childForFieldName("name") : null;
    if (name?.text === "coproc") {
      const after = node.children.filter((c): c is Node => c !== null && c.startIndex >= name.endIndex);
      const opens = (c: Node | undefined): boolean => c !== undefined && (c.text === "{" || c.type === "subshell");
      const block = opens(after[0]) ? after[0] : /^[A-Za-z_]\w*$/.test(after[0]?.text ?? "") && opens(after[1]) ? after[1] : undefined;
      if (block) cuts.push([name.startIndex, block.startIndex]);
    }
    for (const c of named(node)) visit(c);
  };
  visit(root);
  let out = text;
  for (const [start, end] of cuts) out = out.slice(0, start) + " ".repeat(end - start) + out.slice(end);
  return out;
}
