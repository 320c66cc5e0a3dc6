import { describe, expect, it } from "vitest";
import { renderMarkdown, type Line } from "./markdown.js";

/** A line as text: the indent, the marker, and each span marked with what styles it. */
const show = (lines: Line[]): string[] =>
  lines.map(
    (l) =>
      " ".repeat(l.indent) +
      (l.marker?.text ?? "") +
      l.spans.map((s) => (s.role || s.bold || s.italic ? `[${[s.role, s.bold && "b", s.italic && "i", s.underline && "u"].filter(Boolean).join("+")}:${s.text}]` : s.text)).join(""),
  );

describe("markdown for the terminal", () => {
  it("styles headings, emphasis, inline code and links, without the markup", () => {
    expect(show(renderMarkdown("# Title\n\nSome **bold**, _it_, `code` and [docs](https://x.dev).\n\n## Next"))).toEqual([
      "[heading+b+u:Title]",
      "",
      "Some [b:bold], [i:it], [code:code] and [accent+u:docs][dim: (https://x.dev)].",
      "",
      "[heading+b:Next]",
    ]);
  });

  it("lists: bullets, numbers from their start, tasks, nesting kept tight", () => {
    expect(show(renderMarkdown("- one\n- two\n  - nested\n\n3. third\n4. fourth\n\n- [x] done\n- [ ] todo"))).toEqual([
      "• one",
      "• two",
      "  • nested",
      "",
      "3. third",
      "4. fourth",
      "",
      "☒ done",
      "☐ todo",
    ]);
    const nested = renderMarkdown("- two\n  - nested");
    expect(nested[1]).toMatchObject({ indent: 2, marker: { text: "• " } });
  });

  it("highlights a fenced block by its language and leaves an unknown one plain", () => {
    const lines = renderMarkdown('```ts\nconst x = 1; // why\nreturn "s";\n```\n\n```nosuchlang\nplain words\n```');
    expect(show(lines)).toEqual(["  [keyword:const] x = [number:1]; [comment:// why]", '  [keyword:return] [string:"s"];', "", "  plain words"]);
  });

  it("while streaming, an unclosed fence is code up to the end, and unclosed emphasis shows as written", () => {
    expect(show(renderMarkdown("Here it is:\n\n```python\ndef f():\n    return 1"))).toEqual(["Here it is:", "", "  [keyword:def] [title:f]():", "      [keyword:return] [number:1]"]);
    expect(show(renderMarkdown("Some **bol"))).toEqual(["Some **bol"]);
    // The fence's first line alone: code has begun, with nothing in it yet.
    expect(show(renderMarkdown("Look:\n\n```js\n"))).toEqual(["Look:"]);
  });

  it("quotes, rules, tables and hard breaks", () => {
    expect(show(renderMarkdown("> quoted\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nline one  \nline two"))).toEqual([
      "│ [i:quoted]",
      "",
      `[dim:${"─".repeat(40)}]`,
      "",
      "[b:a][dim: │ ][b:b]",
      "1[dim: │ ]2",
      "",
      "line one",
      "line two",
    ]);
  });

  it("keeps characters that HTML would escape", () => {
    expect(show(renderMarkdown('a & b < c > "d" `x<y`'))).toEqual(['a & b < c > "d" [code:x<y]']);
  });
});
