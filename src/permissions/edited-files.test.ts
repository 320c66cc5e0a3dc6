import { describe, expect, it } from "vitest";
import type { Word } from "../shell/ir.js";
import { editedInPlace } from "../shell/match-rule.js";
import { optionWrites } from "./option-writes.js";

/*
 * The files a command edits in place, read from its options: `sed -i`, `perl -pi` and `ruby -pi` as shell/'s
 * `IN_PLACE_EDITS` says (the reading that rates the line), `patch -d DIR -o FILE` by
 * shell/option-walk.ts's walker.
 */

/** Words as the parser gives them: `$X` is a run-time value. */
const words = (...texts: string[]): Word[] => texts.map((text) => (text === "$X" ? { text: "\u0000", dynamic: true, glob: false, subs: [] } : { text, dynamic: false, glob: false, subs: [] }));
const texts = (list: Word[] | undefined): string[] | undefined => list?.map((w) => (w.dynamic ? "$X" : w.text));

describe("the files sed -i, perl -i and ruby -i edit", () => {
  it.each<[string, string[], string[] | undefined]>([
    ["sed", ["-i", "s/a/b/", "f"], ["f"]],
    ["sed", ["-i.bak", "-e", "s/a/b/", "f", "g"], ["f", "g"]],
    // BSD sed (macOS): `-i ''` is an empty backup suffix, not the script
    ["sed", ["-i", "", "-e", "/y/d", "b.txt"], ["b.txt"]],
    ["sed", ["-i", "", "/root/d", "notes.txt"], ["notes.txt"]],
    ["sed", ["-Ei", "", "s/a+/b/", "notes.txt"], ["notes.txt"]],
    ["sed", ["-i", "", "--", "s/a/b/", "f"], ["f"]],
    // GNU sed reads that word as the script
    ["gsed", ["-i", "", "f"], ["f"]],
    ["sed", ["--in-place=.orig", "--expression=s/a/b/", "f"], ["f"]],
    ["sed", ["--in-place", "--expression", "s/a/b/", "f"], ["f"]],
    ["sed", ["-n", "-f", "script.sed", "-i", "f"], ["f"]],
    ["sed", ["-l", "80", "-i", "s/a/b/", "f"], ["f"]],
    ["sed", ["-i", "s/a/b/", "--", "-f"], ["-f"]],
    ["sed", ["-i", "s/a/b/", "-", "$X"], ["-", "$X"]],
    ["sed", ["s/a/b/", "f"], undefined],
    ["sed", ["-ne", "p", "f"], undefined],
    // gsed: GNU sed, as Homebrew names it on macOS
    ["gsed", ["-i", "s/a/b/", "f"], ["f"]],
    ["gsed", ["-i.bak", "-e", "s/a/b/", "f", "g"], ["f", "g"]],
    ["gsed", ["s/a/b/", "f"], undefined],
    ["perl", ["-pi", "-e", "s{/usr}{x}", "c.txt"], ["c.txt"]],
    ["perl", ["-i.bak", "-pe", "s/a/b/", "a", "b"], ["a", "b"]],
    ["perl", ["-I", "lib", "-Mstrict", "-pi", "-e", "1", "f"], ["f"]],
    ["perl", ["-0777", "-pi", "-e", "s/a/b/", "f"], ["f"]],
    ["perl", ["-i", "script.pl", "f"], ["f"]],
    ["perl", ["-pe", "s/a/b/", "f"], undefined],
    ["ruby", ["-pi", "-e", "1", "f"], ["f"]],
    ["ruby", ["-r", "json", "-i.bak", "-pe", "1", "a", "b"], ["a", "b"]],
    ["ruby", ["-i", "fix.rb", "f"], ["f"]],
    ["ruby", ["-ne", "1", "f"], undefined],
    ["awk", ["-i", "inplace", "f"], undefined],
  ])("%s %j → %j", (name, args, expected) => {
    expect(texts(editedInPlace({ name, args: words(...args), powershell: false }))).toEqual(expected ?? []);
  });
});

describe("what patch writes", () => {
  it.each<[string[], string[], string[]]>([
    [["-p1"], [], ["."]],
    [["-p1", "-i", "x.diff"], [], ["."]],
    [["-d", ".wren", "-p1", "-i", "x.diff"], [], [".wren"]],
    [["--directory=sub", "--input=x.diff"], [], ["sub"]],
    [["--directory", "sub"], [], ["sub"]],
    [["-dsub", "-p0"], [], ["sub"]],
    [["a.toml", "x.diff"], ["a.toml"], []],
    [["-o", "out.toml", "a.toml", "x.diff"], ["out.toml", "a.toml"], []],
    [["--output=out", "-r", "rej", "a"], ["out", "rej", "a"], []],
    [["-d", "sub", "a", "x.diff"], ["sub/a"], []],
    [["--", "-a", "x.diff"], ["-a"], []],
    [["$X"], ["$X"], []],
    [["--dry-run", "-p1"], [], []],
    [["--dry-run", "-o", "out", "a"], [], []],
  ])("patch %j writes files %j and unpacks into folders %j", (args, files, folders) => {
    const out = optionWrites("patch", words(...args));
    expect([texts(out.files), texts(out.unpacked)]).toEqual([files, folders]);
  });
});
