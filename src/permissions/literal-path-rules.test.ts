import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import { mayReach } from "./glob-reach.js";
import { compilePathPattern, matchPathPattern } from "./path-pattern.js";
import { parseRulePattern } from "./rule-syntax.js";
import type { PermissionRule } from "./types.js";

// A path rule's glob language is `*`, `**`, `?`, `[…]` and `{a,b}`; every other character is itself,
// whatever picomatch would make of it (groups, alternation, extglobs, negation).
const bases = { projectRoot: path.resolve("/work/p"), home: path.resolve("/users/ada") };
const at = (...parts: string[]): string => path.resolve(...parts);
const flavours = [{ windows: false }, { windows: true }];

function pathRule(rule: string, windows: boolean) {
  const parsed = parseRulePattern(rule, { windows });
  if (parsed.specifier.kind !== "path") throw new Error(`${rule} is not a path rule`);
  return parsed.specifier;
}

describe("characters picomatch would read as syntax are literal in a path rule", () => {
  it.each(flavours)("parentheses name a folder with parentheses (windows: $windows)", ({ windows }) => {
    const stuff = pathRule("Read(~/My Stuff (old)/**)", windows);
    expect(matchPathPattern(stuff, at(bases.home, "My Stuff (old)", "a.txt"), bases, true)).toBe(true);
    expect(matchPathPattern(stuff, at(bases.home, "My Stuff old", "a.txt"), bases, true)).toBe(false);
    const x86 = pathRule("Edit(C:/Program Files (x86)/**)", windows);
    expect(x86.matches("C:/Program Files (x86)/app/a.dll")).toBe(true);
    expect(x86.matches("C:/Program Files x86/app/a.dll")).toBe(false);
  });

  it("a Windows drive rule with backslashes and parentheses covers the folder", () => {
    const x86 = pathRule("Edit(C:\\Program Files (x86)\\**)", true);
    expect(x86.matches("C:/Program Files (x86)/app/a.dll")).toBe(true);
    expect(x86.matches("c:/program files (X86)/app/a.dll")).toBe(true);
  });

  it("a deny rule with parentheses denies the file, to the Read tool and to a shell command", async () => {
    const commands = await createCommandAnalyzer();
    const rules: PermissionRule[] = [
      { action: "allow", pattern: "Read", scope: "flag" },
      { action: "allow", pattern: "Bash(cat *)", scope: "flag" },
      { action: "deny", pattern: "Read(~/My Stuff (old)/**)", scope: "flag" },
    ];
    const options = { rules, mode: "default" as const, ...bases, interactive: true, commands, realPath: (p: string) => p };
    const file = at(bases.home, "My Stuff (old)", "key.pem");
    expect(decide({ tool: "Read", effect: "read", paths: [file] }, options).action).toBe("deny");
    expect(decide({ tool: "Bash", effect: "execute", command: "cat ~/'My Stuff (old)'/key.pem" }, options).action).toBe("deny");
    expect(decide({ tool: "Read", effect: "read", paths: [at(bases.home, "My Stuff old", "key.pem")] }, options).action).not.toBe("deny");
  });

  it.each([
    ["a|b.txt", "a|b.txt", ["a", "b.txt"]],
    ["x/(a|b)/c", "x/(a|b)/c", ["x/a/c", "x/b/c"]],
    ["+(a).txt", "+(a).txt", ["a.txt", "aa.txt"]],
    ["@(a).txt", "@(a).txt", ["a.txt"]],
    ["*(a).txt", "*(a).txt", ["aa.txt", ".txt"]],
    ["?(a).txt", "?(a).txt", ["a.txt", ".txt"]],
    ["n/!(a).txt", "n/!(a).txt", ["n/b.txt"]],
    ["n/!x", "n/!x", ["n/y"]],
  ])("%s matches %s and not what picomatch would read into it", (glob, literal, others) => {
    for (const { windows } of flavours) {
      const rule = pathRule(`Edit(${glob})`, windows);
      expect(rule.matches(literal)).toBe(true);
      for (const other of others) expect(rule.matches(other)).toBe(false);
    }
  });

  it.each(flavours)("a name starting with ! below a base is a name (windows: $windows)", ({ windows }) => {
    expect(pathRule("Read(~/!x/**)", windows).matches("!x/a")).toBe(true);
    expect(pathRule("Read(~/!x/**)", windows).matches("y/a")).toBe(false);
    expect(pathRule("Edit(./!x/**)", windows).matches("!x/a.ts")).toBe(true);
    expect(pathRule("Edit(./!x/**)", windows).matches("y/a.ts")).toBe(false);
  });

  it("glob syntax still works: *, **, ?, […], {a,b}, and a POSIX \\ escape", () => {
    for (const { windows } of flavours) {
      const rule = pathRule("Edit(src/**/[ab]?.{ts,js})", windows);
      expect(rule.matches("src/x/y/a1.ts")).toBe(true);
      expect(rule.matches("src/b2.js")).toBe(true);
      expect(rule.matches("src/c1.ts")).toBe(false);
      expect(pathRule("Edit(a/[(]x[)])", windows).matches("a/(x)")).toBe(true);
      expect(pathRule("Edit(a/[!x]*)", windows).matches("a/y")).toBe(true);
      expect(pathRule("Edit(a/[!x]*)", windows).matches("a/x")).toBe(false);
    }
    expect(pathRule("Edit(a/\\(x\\))", false).matches("a/(x)")).toBe(true);
  });

  it.each(flavours)("a shell glob reaches a denied folder with parentheses (windows: $windows)", ({ windows }) => {
    const deny = compilePathPattern("~/My Stuff (old)/**", { windows });
    const read = (text: string) => ({ text, glob: true, dotglob: false, recursive: false });
    expect(mayReach(read(at(bases.home, "My Stuff (old)", "*")), deny, bases)).toBe(true);
    expect(mayReach(read(at(bases.home, "notes", "*")), deny, bases)).toBe(false);
    const bang = compilePathPattern("~/!x/**", { windows });
    expect(mayReach(read(at(bases.home, "!x", "*")), bang, bases)).toBe(true);
    expect(mayReach(read(at(bases.home, "y", "*")), bang, bases)).toBe(false);
  });
});

describe("a path rule is never a negation", () => {
  it.each(flavours)("Edit(!x/**) is refused with a message that says how to name a folder !x (windows: $windows)", ({ windows }) => {
    expect(() => parseRulePattern("Edit(!x/**)", { windows })).toThrow(/negation.*\.\/!x/s);
    expect(() => parseRulePattern("Read(!secrets/**)", { windows })).toThrow(/not a valid permission rule/);
  });

  it("a settings-style deny rule Edit(!x/**) cannot silently deny everything but x", () => {
    expect(() => compilePathPattern("!x/**")).toThrow();
  });
});

describe("the glob characters the docs name", () => {
  it("a bracket class makes a glob character literal on Windows: C:\\data\\[[]old]\\**", () => {
    const rule = pathRule("Edit(C:\\data\\[[]old]\\**)", true);
    expect(rule.matches("C:/data/[old]/a.txt")).toBe(true);
    expect(rule.matches("C:/data/o/a.txt")).toBe(false);
  });

  it.each(flavours)("[!x] and [^x] both mean none of x, as a shell reads them (windows: $windows)", ({ windows }) => {
    for (const rule of ["Edit(src/[!_]*.ts)", "Edit(src/[^_]*.ts)"]) {
      expect(pathRule(rule, windows).matches("src/a.ts")).toBe(true);
      expect(pathRule(rule, windows).matches("src/_a.ts")).toBe(false);
      expect(pathRule(rule, windows).matches("src/!a.ts")).toBe(true);
    }
  });
});
