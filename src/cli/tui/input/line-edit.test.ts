import { describe, expect, it } from "vitest";
import { atEnd, deleteBack, deleteForward, deleteWordBack, end, home, insert, killToEnd, killToStart, left, right, vertical, type LineState } from "./line-edit.js";

/** `value` with the cursor where `|` is. */
const at = (marked: string): LineState => ({ value: marked.replace("|", ""), cursor: marked.indexOf("|") });
const show = (s: LineState): string => `${s.value.slice(0, s.cursor)}|${s.value.slice(s.cursor)}`;

describe("the prompt's line editing", () => {
  it("moves the cursor left and right and types and deletes where it is", () => {
    let s = atEnd("fix the tset");
    s = left(left(s));
    expect(show(s)).toBe("fix the ts|et");
    s = insert(deleteBack(s), "");
    expect(show(s)).toBe("fix the t|et");
    s = insert(right(s), "s");
    expect(show(s)).toBe("fix the tes|t");
    expect(show(deleteForward(at("ab|cd")))).toBe("ab|d");
    expect(show(right(at("ab|")))).toBe("ab|");
    expect(show(left(at("|ab")))).toBe("|ab");
  });

  it("steps over a character outside the Basic Multilingual Plane as one", () => {
    expect(show(left(at("a😀|b")))).toBe("a|😀b");
    expect(show(right(at("a|😀b")))).toBe("a😀|b");
    expect(show(deleteBack(at("a😀|b")))).toBe("a|b");
    expect(show(deleteForward(at("a|😀b")))).toBe("a|b");
  });

  it("goes to the start and end of the cursor's line, and cuts either side of the cursor on it", () => {
    expect(show(home(at("one\ntw|o")))).toBe("one\n|two");
    expect(show(end(at("o|ne\ntwo")))).toBe("one|\ntwo");
    expect(show(killToStart(at("one\ntw|o")))).toBe("one\n|o");
    expect(show(killToEnd(at("o|ne\ntwo")))).toBe("o|\ntwo");
    expect(show(deleteWordBack(at("git commit  |-m")))).toBe("git |-m");
  });

  it("moves between the lines of a prompt, and leaves the first and last line to the history", () => {
    expect(show(vertical(at("first\nse|cond"), -1)!)).toBe("fi|rst\nsecond");
    expect(show(vertical(at("a long first|\nxy"), 1)!)).toBe("a long first\nxy|");
    expect(vertical(at("on|ly"), -1)).toBeUndefined();
    expect(vertical(at("first\nla|st"), 1)).toBeUndefined();
  });
});
