import { Lexer, type Token, type Tokens } from "marked";
import type { Role } from "./components/theme.js";
import { highlightCode } from "./highlight.js";

/** A run of text in one style; the view gives `role` its theme's colour. */
export interface Span {
  text: string;
  role?: Role;
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
}

/** One line of the rendered answer: `indent` columns, an optional marker (`• `, `2. `), then its spans, wrapped by the view. */
export interface Line {
  indent: number;
  marker?: Span;
  spans: Span[];
}

type Style = Omit<Span, "text">;

/** Inline tokens as spans; styles nest (`**bold _and italic_**`). */
function inline(tokens: readonly Token[] | undefined, style: Style = {}): Span[] {
  const out: Span[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case "strong":
        out.push(...inline((token as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case "em":
        out.push(...inline((token as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case "del":
        out.push(...inline((token as Tokens.Del).tokens, { ...style, strikethrough: true }));
        break;
      case "codespan":
        out.push({ ...style, role: "code", text: (token as Tokens.Codespan).text });
        break;
      case "link": {
        const link = token as Tokens.Link;
        const label = inline(link.tokens, { ...style, role: "accent", underline: true });
        out.push(...label);
        // A bare URL is its own label; otherwise the address follows, for terminals that cannot follow links.
        if (link.text !== link.href && link.href) out.push({ ...style, role: "dim", text: ` (${link.href})` });
        break;
      }
      case "image":
        out.push({ ...style, role: "dim", text: `[image: ${(token as Tokens.Image).text || (token as Tokens.Image).href}]` });
        break;
      case "br":
        out.push({ ...style, text: "\n" });
        break;
      case "text": {
        const text = token as Tokens.Text;
        if (text.tokens) out.push(...inline(text.tokens, style));
        else out.push({ ...style, text: text.text });
        break;
      }
      default:
        // escape, html and anything newer: the text as written.
        out.push({ ...style, text: "text" in token && typeof token.text === "string" ? token.text : token.raw });
    }
  }
  return out;
}

/** Spans with line breaks in them split into lines (a `br`, or text lexed with its newline). */
function splitLines(spans: Span[]): Span[][] {
  const lines: Span[][] = [[]];
  for (const span of spans) {
    const parts = span.text.split("\n");
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines.at(-1)!.push({ ...span, text: part });
    });
  }
  return lines;
}

function blocks(tokens: readonly Token[], indent: number, out: Line[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case "space":
        break;
      case "heading": {
        const heading = token as Tokens.Heading;
        gap(out);
        out.push({ indent, spans: inline(heading.tokens, { bold: true, role: "heading", underline: heading.depth === 1 }) });
        break;
      }
      case "paragraph":
        gap(out);
        for (const spans of splitLines(inline((token as Tokens.Paragraph).tokens))) out.push({ indent, spans });
        break;
      case "text": {
        // A tight list item's text: no gap before it.
        const text = token as Tokens.Text;
        for (const spans of splitLines(text.tokens ? inline(text.tokens) : [{ text: text.text }])) out.push({ indent, spans });
        break;
      }
      case "list":
        gap(out);
        list(token as Tokens.List, indent, out);
        break;
      case "code": {
        const code = token as Tokens.Code;
        gap(out);
        for (const spans of highlightCode(code.text, code.lang)) out.push({ indent: indent + 2, spans });
        break;
      }
      case "blockquote": {
        const quoted: Line[] = [];
        blocks((token as Tokens.Blockquote).tokens, 0, quoted);
        gap(out);
        for (const line of quoted) out.push({ indent, marker: { text: "│ ", role: "dim" }, spans: line.spans.map((s) => ({ ...s, italic: true })) });
        break;
      }
      case "hr":
        gap(out);
        out.push({ indent, spans: [{ text: "─".repeat(40), role: "dim" }] });
        break;
      case "table": {
        const table = token as Tokens.Table;
        gap(out);
        const row = (cells: Tokens.TableCell[], bold: boolean): Span[] =>
          cells.flatMap((cell, i) => [...(i > 0 ? [{ text: " │ ", role: "dim" as const }] : []), ...inline(cell.tokens, bold ? { bold } : {})]);
        out.push({ indent, spans: row(table.header, true) });
        for (const cells of table.rows) out.push({ indent, spans: row(cells, false) });
        break;
      }
      default:
        // html blocks and the like: their text as written.
        gap(out);
        for (const text of token.raw.replace(/\n+$/, "").split("\n")) out.push({ indent, spans: [{ text }] });
    }
  }
}

function list(token: Tokens.List, indent: number, out: Line[]): void {
  const start = typeof token.start === "number" ? token.start : 1;
  token.items.forEach((item, i) => {
    const marker: Span = item.task ? { text: item.checked ? "☒ " : "☐ ", role: item.checked ? "success" : "dim" } : token.ordered ? { text: `${start + i}. `, role: "dim" } : { text: "• ", role: "dim" };
    let inner: Line[] = [];
    blocks(item.tokens.filter((t) => t.type !== "checkbox"), 0, inner);
    // A tight list keeps its items (and the lists nested in them) together.
    if (!token.loose) inner = inner.filter((line) => line.spans.length > 0 || line.marker);
    else if (i > 0) gap(out);
    const width = marker.text.length;
    inner.forEach((line, j) => {
      const shifted = { ...line, indent: indent + width + line.indent };
      out.push(j === 0 ? { ...shifted, indent: indent + line.indent, marker } : shifted);
    });
    if (inner.length === 0) out.push({ indent, marker, spans: [] });
  });
}

/** One blank line between blocks (none before the first). */
function gap(out: Line[]): void {
  const last = out.at(-1);
  if (last && (last.spans.length > 0 || last.marker)) out.push({ indent: 0, spans: [] });
}

/**
 * Markdown as styled lines for the terminal: headings, lists (nested, numbered, tasks), emphasis,
 * inline code, links, quotes, rules, tables, and fenced code highlighted by its language. Made for
 * text still streaming in: an unclosed fence is code up to the end, and an unclosed `**` shows as
 * written until its pair arrives.
 */
export function renderMarkdown(source: string): Line[] {
  const out: Line[] = [];
  blocks(new Lexer({ gfm: true }).lex(source), 0, out);
  while (out.length > 0 && out.at(-1)!.spans.length === 0 && !out.at(-1)!.marker) out.pop();
  return out;
}
