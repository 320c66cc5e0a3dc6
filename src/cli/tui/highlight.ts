import type { Element, ElementContent, Root } from "hast";
import { common, createLowlight } from "lowlight";
import type { Role } from "./components/theme.js";
import type { Span } from "./markdown.js";

// highlight.js's common grammars (about 35 languages: the ones models write most); made on first use.
let lowlight: ReturnType<typeof createLowlight> | undefined;

/** Names models put after a fence that highlight.js spells differently. */
const ALIASES: Record<string, string> = { sh: "bash", shell: "bash", zsh: "bash", console: "bash", tsx: "typescript", jsx: "javascript", py: "python", rs: "rust", yml: "yaml", toml: "ini", jsonc: "json" };

/** highlight.js's scopes (`hljs-keyword`, `hljs-title function_`) by the theme role that colours them. */
const SCOPES: Record<string, Role> = {
  keyword: "keyword",
  built_in: "keyword",
  "selector-tag": "keyword",
  doctag: "keyword",
  type: "title",
  string: "string",
  regexp: "string",
  char: "string",
  number: "number",
  literal: "number",
  symbol: "number",
  bullet: "number",
  comment: "comment",
  quote: "comment",
  meta: "comment",
  title: "title",
  section: "title",
  name: "title",
  attr: "title",
  attribute: "title",
  "selector-id": "title",
  "selector-class": "title",
  addition: "add",
  deletion: "remove",
};

function roleOf(element: Element): Role | undefined {
  const names = element.properties["className"];
  const first = Array.isArray(names) ? String(names[0] ?? "") : "";
  return SCOPES[first.replace(/^hljs-/, "")];
}

function flatten(nodes: readonly ElementContent[], role: Role | undefined, out: Span[]): void {
  for (const node of nodes) {
    if (node.type === "text") out.push(role ? { text: node.value, role } : { text: node.value });
    else if (node.type === "element") flatten(node.children, roleOf(node) ?? role, out);
  }
}

/**
 * A code block's lines as coloured spans, by the fence's language; an unknown or missing language
 * stays plain (guessing costs time on every frame of a streaming answer and often guesses wrong).
 */
export function highlightCode(code: string, lang: string | undefined): Span[][] {
  const name = (lang ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  const language = ALIASES[name] ?? name;
  let spans: Span[] = [{ text: code }];
  if (language) {
    lowlight ??= createLowlight(common);
    if (lowlight.registered(language)) {
      const tree: Root = lowlight.highlight(language, code);
      spans = [];
      flatten(tree.children as ElementContent[], undefined, spans);
    }
  }
  const lines: Span[][] = [[]];
  for (const span of spans) {
    span.text.split("\n").forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines.at(-1)!.push({ ...span, text: part });
    });
  }
  return lines;
}
