import path from "node:path";
import { describe, expect, it } from "vitest";
import { compilePathPattern, matchPathPattern, type PathBases } from "./path-pattern.js";
import { suggestionsFor } from "./suggest.js";

const root = path.resolve("/work/app");
const bases: PathBases = { projectRoot: root, home: path.resolve("/home/ada") };

/** The rule suggested for editing one file, and whether that rule, compiled, allows the file. */
function suggested(file: string): { rule: string; allows: boolean } {
  const abs = path.join(root, file);
  const [rule = ""] = suggestionsFor({ tool: "Edit", effect: "write", paths: [abs] }, [{ kind: "path", path: abs, inside: true, sensitive: false }], bases);
  const written = /^Edit\((.*)\)$/.exec(rule)?.[1] ?? "";
  return { rule, allows: matchPathPattern(compilePathPattern(written), abs, bases) };
}

describe("suggested rules allow the file that asked", () => {
  it("a project file whose path starts with ~ is written ./~…, not as a home (~bob/x is user bob's)", () => {
    expect(suggested(path.join("~bob", "x"))).toEqual({ rule: "Edit(./~bob/x)", allows: true });
    expect(suggested("~")).toEqual({ rule: "Edit(./~)", allows: true });
    expect(suggested(path.join("~", "notes.md"))).toEqual({ rule: "Edit(./~/notes.md)", allows: true });
  });

  it("an ordinary project file is written as it is", () => {
    expect(suggested(path.join("src", "a.ts"))).toEqual({ rule: "Edit(src/a.ts)", allows: true });
  });
});
