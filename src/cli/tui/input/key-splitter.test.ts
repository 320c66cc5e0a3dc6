import { describe, expect, it } from "vitest";
import { createKeySplitter, type InputPiece } from "./key-splitter.js";

const keys = (...sequences: string[]): InputPiece[] => sequences.map((sequence) => ({ kind: "key", sequence }));

describe("key splitter", () => {
  it("splits control keys out of text typed ahead", () => {
    expect(createKeySplitter().push("/mcp d\x03question")).toEqual(keys("/mcp d", "\x03", "question"));
    expect(createKeySplitter().push("hi\rnext\tx\x7f\x1b")).toEqual(keys("hi", "\r", "next", "\t", "x", "\x7f"));
  });

  it("keeps escape sequences whole: arrows, Shift+Tab, function keys, Alt+key", () => {
    expect(createKeySplitter().push("\x1b[Aa\x1b[Z\x1b[15~\x1bOP\x1b\r\x1b\x1b[Bz")).toEqual(
      keys("\x1b[A", "a", "\x1b[Z", "\x1b[15~", "\x1bOP", "\x1b\r", "\x1b\x1b[B", "z"),
    );
  });

  it("joins an escape sequence cut between chunks", () => {
    const splitter = createKeySplitter();
    expect(splitter.push("ab\x1b")).toEqual(keys("ab"));
    expect(splitter.waiting).toBe(true);
    expect(splitter.push("[")).toEqual([]);
    expect(splitter.push("1;5")).toEqual([]);
    expect(splitter.push("Cx")).toEqual(keys("\x1b[1;5C", "x"));
    expect(splitter.waiting).toBe(false);
  });

  it("gives a lone Esc as the Esc key once nothing followed it", () => {
    const splitter = createKeySplitter();
    expect(splitter.push("\x1b")).toEqual([]);
    expect(splitter.flush()).toEqual(keys("\x1b"));
    expect(splitter.flush()).toEqual([]);
  });

  it("takes a bracketed paste as one piece, line breaks kept, between keys", () => {
    expect(createKeySplitter().push("\x03\x1b[200~line one\rline two\x1b[201~\r")).toEqual([
      { kind: "key", sequence: "\x03" },
      { kind: "paste", text: "line one\rline two" },
      { kind: "key", sequence: "\r" },
    ]);
  });

  it("keeps control characters and escape sequences in a paste literal", () => {
    expect(createKeySplitter().push("\x1b[200~a\x03b\tc\x1b[Ad\x1b[201~")).toEqual([{ kind: "paste", text: "a\x03b\tc\x1b[Ad" }]);
  });

  it("follows a paste across chunks, its end marker cut in two", () => {
    const splitter = createKeySplitter();
    expect(splitter.push("\x1b[20")).toEqual([]);
    expect(splitter.push("0~first\r")).toEqual([]);
    expect(splitter.push("second\x1b[2")).toEqual([]);
    expect(splitter.waiting).toBe(false);
    expect(splitter.push("01~\r")).toEqual([{ kind: "paste", text: "first\rsecond" }, { kind: "key", sequence: "\r" }]);
  });
});
