/** Brace expansion of a plain unquoted bash word (`rm -rf {/,}` is `rm -rf /`), its tildes expanded after. */
import type { Node } from "web-tree-sitter";
import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import type { ExpandContext } from "./expand-context.js";
import { homeTilde } from "./bash-tildes.js";
import { expandTilde } from "./paths.js";

/**
 * An unquoted word with a brace list is several words (`rm -rf {/,}` is `rm -rf /`,
 * `{~,/tmp/x}` is `~ /tmp/x`, tilde expanded after). Only plain text is expanded: a word with
 * quotes, escapes or expansions is left whole.
 */
export function braceWords(node: Node, env: ExpandContext): Word[] | undefined {
  const raw = openBraceBefore(node) + node.text;
  if (!/\{[^{}]*,[^{}]*\}/.test(raw) || /['"\\$`]/.test(raw)) return undefined;
  // An empty result is no word at all (`{/,}` is just `/`).
  const texts = expandBraces(raw, 0).filter((t) => t.length > 0);
  if (texts.length === 1 && texts[0] === raw) return undefined;
  return texts.map((t) => {
    const home = homeTilde(t, env);
    if (home) return home;
    const expanded = t.startsWith("~") ? expandTilde(t, env) : undefined;
    if (expanded === null) return { text: RUN_TIME, dynamic: true, glob: false, subs: [] };
    return { text: expanded ?? t, dynamic: false, glob: /[*?[]/.test(t), subs: [] };
  });
}

/**
 * The words a plain text's brace lists expand to (`r{m,}` is `rm r`), empty ones kept; undefined
 * where it has none. fish expands them as bash does, after `~` at the start (`~{,x}`).
 */
export function expandBraceList(text: string): string[] | undefined {
  if (!/\{[^{}]*,[^{}]*\}/.test(text)) return undefined;
  const texts = expandBraces(text, 0);
  return texts.length === 1 && texts[0] === text ? undefined : texts;
}

/** Brace expansion of plain text, left to right, at most 64 words. */
function expandBraces(text: string, depth: number): string[] {
  for (let open = text.indexOf("{"); open >= 0 && depth < 8; open = text.indexOf("{", open + 1)) {
    let level = 0;
    const commas: number[] = [];
    let close = -1;
    for (let i = open; i < text.length; i++) {
      const c = text[i];
      if (c === "{") level++;
      else if (c === "}" && --level === 0) {
        close = i;
        break;
      } else if (c === "," && level === 1) commas.push(i);
    }
    if (close < 0 || commas.length === 0) continue;
    const cuts = [open, ...commas, close];
    const out: string[] = [];
    for (let k = 0; k + 1 < cuts.length && out.length < 64; k++) {
      const choice = text.slice((cuts[k] ?? 0) + 1, cuts[k + 1]);
      out.push(...expandBraces(text.slice(0, open) + choice + text.slice(close + 1), depth + 1));
    }
    return out.slice(0, 64);
  }
  return [text];
}

/**
 * `{rm,-rf,~}` and `{r,}m -rf ~` in command position: the grammar takes the `{` for a block's and
 * gives up, leaving the word without it; bash reads one word and expands it. The `{` right before.
 */
function openBraceBefore(node: Node): string {
  let at: Node | null = node;
  while (at && !at.previousSibling && at.parent && at.parent.startIndex === node.startIndex) at = at.parent;
  const before = at?.previousSibling;
  return before?.type === "{" && before.endIndex === node.startIndex && before.parent?.type === "ERROR" ? "{" : "";
}
