import path from "node:path";
import { describe, expect, it } from "vitest";
import { mayReach } from "./glob-reach.js";
import { compilePathPattern, matchPathPattern, type PathBases } from "./path-pattern.js";
import { parseRulePattern } from "./rule-syntax.js";

// Windows is modelled by the `windows` flavour for the rule and `path.win32` for the paths, so its
// reading of a rule without a drive is tested on every host.
const onC: PathBases = { projectRoot: "C:\\work\\p", home: "C:\\Users\\ada" };
const onD: PathBases = { projectRoot: "D:\\work\\p", home: "D:\\Users\\ada" };

function pathRule(rule: string) {
  const parsed = parseRulePattern(rule, { windows: true });
  if (parsed.specifier.kind !== "path") throw new Error(`${rule} is not a path rule`);
  return parsed.specifier;
}

/** As a deny or ask rule (cautious) and as an allow rule reads the path. */
const both = (rule: string, target: string, bases: PathBases) => ({
  deny: matchPathPattern(pathRule(rule), target, bases, true, path.win32),
  allow: matchPathPattern(pathRule(rule), target, bases, false, path.win32),
});

describe("a Windows path rule with no drive letter", () => {
  it.each(["Edit(/Users/x/secret/**)", "Edit(\\Users\\x\\secret\\**)"])("%s covers the folder on the project's drive", (rule) => {
    expect(both(rule, "C:\\Users\\x\\secret\\key.pem", onC)).toEqual({ deny: true, allow: true });
    expect(both(rule, "c:\\users\\X\\Secret\\a\\b.txt", onC)).toEqual({ deny: true, allow: true });
    expect(both(rule, "C:\\Users\\x\\secret", onC)).toEqual({ deny: true, allow: true });
  });

  it("as a deny or ask rule covers it on every drive; as an allow rule, only on the project's drive", () => {
    expect(both("Edit(/Users/x/secret/**)", "D:\\Users\\x\\secret\\key.pem", onC)).toEqual({ deny: true, allow: false });
    expect(both("Read(\\secret\\**)", "E:\\secret\\k.txt", onD)).toEqual({ deny: true, allow: false });
    expect(both("Read(\\secret\\**)", "D:\\secret\\k.txt", onD)).toEqual({ deny: true, allow: true });
  });

  it("names nothing else", () => {
    expect(both("Edit(/Users/x/secret/**)", "C:\\Users\\x\\secrets2\\a.txt", onC)).toEqual({ deny: false, allow: false });
    expect(both("Edit(/Users/x/secret/**)", "C:\\work\\Users\\x\\secret\\a.txt", onC)).toEqual({ deny: false, allow: false });
    expect(both("Read(\\secret\\**)", "\\\\server\\share\\secret\\a.txt", onC)).toEqual({ deny: false, allow: false });
  });

  it("a path given with no drive is on the project's drive, and, to a deny rule, may be on any", () => {
    expect(both("Edit(C:\\Users\\x\\secret\\**)", "\\Users\\x\\secret\\a.txt", onC)).toEqual({ deny: true, allow: true });
    expect(both("Edit(C:/Users/x/secret/**)", "/Users/x/secret/a.txt", onC)).toEqual({ deny: true, allow: true });
    expect(both("Edit(C:\\Users\\x\\secret\\**)", "\\Users\\x\\secret\\a.txt", onD)).toEqual({ deny: true, allow: false });
    expect(both("Edit(/Users/x/secret/**)", "/Users/x/secret/a.txt", onD)).toEqual({ deny: true, allow: true });
  });

  it("a rule with a drive stays on its drive", () => {
    expect(both("Edit(C:\\Users\\x\\secret\\**)", "D:\\Users\\x\\secret\\a.txt", onC)).toEqual({ deny: false, allow: false });
    expect(both("Edit(C:\\Users\\x\\secret\\**)", "C:\\Users\\x\\secret\\a.txt", onD)).toEqual({ deny: true, allow: true });
  });

  it("rules below the project and the home are read as before", () => {
    expect(both("Edit(secrets\\**)", "C:\\work\\p\\secrets\\k.pem", onC)).toEqual({ deny: true, allow: true });
    expect(both("Read(~\\.ssh\\**)", "c:\\users\\ada\\.ssh\\id_rsa", onC)).toEqual({ deny: true, allow: true });
    expect(both("Edit(secrets\\**)", "D:\\work\\p\\secrets\\k.pem", onC)).toEqual({ deny: false, allow: false });
  });

  it("a shell glob on any drive may reach what it names", () => {
    const deny = compilePathPattern("\\Users\\x\\secret\\**", { windows: true });
    const read = (text: string) => ({ text, glob: true, dotglob: false, recursive: false });
    const bases = { projectRoot: path.resolve("/work/p"), home: path.resolve("/users/ada") };
    expect(mayReach(read("C:/Users/x/secret/*.pem"), deny, bases)).toBe(true);
    expect(mayReach(read("d:/users/x/SECRET/*"), deny, bases)).toBe(true);
    expect(mayReach(read("C:/Users/x/notes/*"), deny, bases)).toBe(false);
  });
});

describe("POSIX path rules are read as before", () => {
  it("an absolute rule is about that path only", () => {
    const rule = compilePathPattern("/etc/secret/**", { windows: false });
    const bases = { projectRoot: "/work/p", home: "/home/ada" };
    expect(matchPathPattern(rule, "/etc/secret/a", bases, true, path.posix)).toBe(true);
    expect(matchPathPattern(rule, "/work/etc/secret/a", bases, true, path.posix)).toBe(false);
  });
});
