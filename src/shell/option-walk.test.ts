import { describe, expect, it } from "vitest";
import type { Word } from "./ir.js";
import { splitClap, splitLong, splitShort, walkOptions } from "./option-walk.js";

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

describe("walkOptions with runTimeValues", () => {
  it("hands a long option written out with a run-time value to option, and leaves other run-time words operands", () => {
    const dynamic = (text: string): Word => ({ text, dynamic: true, glob: false, subs: [], vars: ["D"] });
    const seen: Word[] = [];
    const args = [dynamic("--path=\u0000"), dynamic("\u0000"), dynamic("--\u0000=x")];
    const operands = walkOptions(args, (_text, _next, word) => (seen.push(word), false), { runTimeValues: true });
    expect(seen).toEqual([args[0]]);
    expect(operands).toEqual([args[1], args[2]]);
    expect(walkOptions(args, () => false)).toEqual(args);
  });
});

describe("splitShort and splitClap", () => {
  it("reads flags grouped before the first letter that takes a value, which takes the rest or the next word", () => {
    expect(splitShort("-Ht", "te")).toEqual({ flags: ["-H"], option: "-t", value: undefined });
    expect(splitShort("-Htf", "te")).toEqual({ flags: ["-H"], option: "-t", value: "f" });
    expect(splitShort("-tHe", "te")).toEqual({ flags: [], option: "-t", value: "He" });
    expect(splitShort("-HI", "te")).toEqual({ flags: ["-H", "-I"] });
    expect(splitShort("-t=f", "te")).toEqual({ flags: [], option: "-t", value: "=f" });
    expect(splitShort("-t=f", "te", { clap: true })).toEqual({ flags: [], option: "-t", value: "f" });
  });

  it("reads clap's long options at = and its short groups with splitShort", () => {
    expect(splitClap("--search-path=/etc", "t")).toEqual(["--search-path", "/etc"]);
    expect(splitClap("-w3", "w")).toEqual(["-w", "3"]);
    expect(splitClap("-p=ls", "p")).toEqual(["-p", "ls"]);
    expect(splitClap("-iN", "p")).toEqual(["", undefined]);
  });
});

describe("splitLong", () => {
  it("splits at the first =", () => {
    expect(splitLong("--name=a=b")).toEqual(["--name", "a=b"]);
    expect(splitLong("--name=")).toEqual(["--name", ""]);
    expect(splitLong("--name")).toEqual(["--name", undefined]);
  });
});
