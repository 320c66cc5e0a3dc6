/**
 * A statement's redirections as the bash parser gathers them (`redirectsOf` there), a file
 * redirection's operator and descriptor, and how they are given to the command they apply to.
 */
import type { Node } from "web-tree-sitter";
import type { Cmd, Redirect, Unit, Word } from "./ir.js";
import { isReadWriteHalf } from "./bash-grammar-gaps.js";

/** A file redirection's operator (`<>` for the grammar's `<` error and `>`), and its descriptor when written (`3<>`). */
export function redirectOf(r: Node, target: Word): Redirect {
  const token = r.children.find((c) => c && !c.isNamed);
  const before = token?.previousSibling ?? r.previousSibling;
  const after = token?.nextSibling;
  const readWrite = (token?.type === ">" && !!before && isReadWriteHalf(before)) || (token?.type === "<" && !!after && isReadWriteHalf(after));
  const redirect: Redirect = { op: readWrite ? "<>" : (token?.type ?? ">"), target };
  const fd = r.childForFieldName("descriptor");
  if (fd) redirect.fd = Number(fd.text);
  return redirect;
}

/** A statement's redirections, its here-string or here-document, and the words after a redirection's target. */
export interface Redirections {
  redirects: Redirect[];
  stdin?: Word;
  /** `rm > x -rf /`: the words after a target are the command's arguments. */
  args: Word[];
}

export function withRedirects(cmd: Cmd, r: Redirections): Cmd {
  cmd.redirects.push(...r.redirects);
  if (r.stdin) cmd.stdinText = r.stdin;
  cmd.argv.push(...r.args);
  return cmd;
}

/** `{ echo; } > x y`: a word after the redirection of a compound command is a syntax error to bash. */
export function afterCompound(r: Redirections, units: Unit[]): Redirections {
  if (r.args.length > 0) units.push({ kind: "unresolved", detail: "the command has a syntax error, so wren cannot tell what would run" });
  return { ...r, args: [] };
}
