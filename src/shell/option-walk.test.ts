import { describe, expect, it } from "vitest";
import type { Word } from "./ir.js";
import { splitLong, walkOptions } from "./option-walk.js";

/** Words as the parser gives them: `$X` is a run-time value. */
const words = (...texts: string[]): Word[] => texts.map((text) => (text === "$X" ? { text: "\u0000", dynamic: true, glob: false, subs: [] } : { text, dynamic: false, glob: false, subs: [] }));
const texts = (list: Word[]): string[] => list.map((w) => (w.dynamic ? "$X" : w.text));

describe("walkOptions", () => {
  it("hands each option its next word, keeps operands in order, and stops at --", () => {
    const seen: string[] = [];
    const operands = walkOptions(words("a", "-v", "-o", "out", "b", "-", "$X", "--", "-c"), (text, next) => {
      seen.push(text);
      return text === "-o" && next !== undefined;
    });
    expect(seen).toEqual(["-v", "-o"]);
    expect(texts(operands)).toEqual(["a", "b", "-", "$X", "-c"]);
  });

  it("lets an option take several words, as a count", () => {
    const takes = new Map<string, number | boolean>([["-P", 3], ["-L", 2], ["-w", true]]);
    const operands = walkOptions(words("-P", "n", "1", "5", "cmd", "-L", "x", "a,b", "-w", "3", "other"), (text) => takes.get(text) ?? false);
    expect(texts(operands)).toEqual(["cmd", "other"]);
  });
});

describe("splitLong", () => {
  it("splits at the first =", () => {
    expect(splitLong("--name=a=b")).toEqual(["--name", "a=b"]);
    expect(splitLong("--name=")).toEqual(["--name", ""]);
    expect(splitLong("--name")).toEqual(["--name", undefined]);
  });
});
