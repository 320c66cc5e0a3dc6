import { describe, expect, it } from "vitest";
import { printableText, visibleText } from "./visible-text.js";

describe("visibleText", () => {
  it("leaves plain text, newlines and tabs as they are", () => {
    expect(visibleText("git commit -m 'ok'\n\tcat <<EOF")).toBe("git commit -m 'ok'\n\tcat <<EOF");
  });

  it.each([
    ["a carriage return", "a\rb", "a\\rb"],
    ["backspaces", "rm\b\b", "rm\\b\\b"],
    ["ESC and its sequence", "\x1b[2Kx", "\\x1b[2Kx"],
    ["an OSC 52 clipboard write", "\x1b]52;c;eA==\x07", "\\x1b]52;c;eA==\\x07"],
    ["a C1 CSI", "\x9b2J", "\\x9b2J"],
    ["DEL and NUL", "\x7f\x00", "\\x7f\\x00"],
    ["a right-to-left override and isolates", "\u202e\u2066\u2069", "\\u202e\\u2066\\u2069"],
    ["zero-width characters and a BOM", "r\u200bm\u200d\u2060\ufeff", "r\\u200bm\\u200d\\u2060\\ufeff"],
    ["a no-break space", "ls\u00a0-la", "ls\\xa0-la"],
    ["a tag character", "a\u{e0041}", "a\\u{e0041}"],
    ["a line separator", "a\u2028b", "a\\u2028b"],
  ])("writes out %s", (_, text, shown) => {
    expect(visibleText(text)).toBe(shown);
  });
});

describe("printableText", () => {
  it("leaves plain text, newlines, tabs and emoji as they are", () => {
    const text = "a\n\tb 👨\u200d👩\u200d👧 ✔\ufe0f";
    expect(printableText(text)).toBe(text);
  });

  it.each([
    ["colours", "\x1b[31mred\x1b[0m", "red"],
    ["cursor moves and erasing", "a\x1b[1A\x1b[2Kb\x1b[?25l", "ab"],
    ["an OSC 52 clipboard write ended by BEL", "x\x1b]52;c;cm0gLXJm\x07y", "xy"],
    ["a title ended by ST", "x\x1b]0;t\x1b\\y", "xy"],
    ["an OSC 8 link, keeping its text", "\x1b]8;;https://e.x\x07link\x1b]8;;\x07", "link"],
    ["C1 sequences", "a\x9b2Jb\x9d0;t\x9cc", "abc"],
    ["a sequence cut short at the end", "a\x1b]52;c;eA", "a"],
    ["a string never ended, up to the line's end only", "a\x1b]8;;https://e.x\nb", "a\nb"],
    ["a lone ESC", "a\x1b", "a"],
  ])("drops %s", (_, text, shown) => {
    expect(printableText(text)).toBe(shown);
  });

  it("breaks the line where a carriage return would write over it", () => {
    expect(printableText("50%\r100%\r\ndone\r\n")).toBe("50%\n100%\ndone\n");
  });

  it("writes out other controls and bidi controls", () => {
    expect(printableText("a\b\x07\u202eb")).toBe("a\\b\\x07\\u202eb");
  });
});

describe("visibleText on one line", () => {
  it("writes out newlines and tabs too", () => {
    expect(visibleText("a\nb\tc\r", { oneLine: true })).toBe("a\\nb\\tc\\r");
  });
});
