import path from "node:path";
import { describe, expect, it } from "vitest";
import { mayReach } from "./glob-reach.js";
import { compilePathPattern, literalPathGlob, matchPathPattern } from "./path-pattern.js";
import { parseRulePattern } from "./rule-syntax.js";

// Windows is modelled by the `windows` flavour, so its reading of rules is tested on every host.
const bases = { projectRoot: path.resolve("/work/p"), home: path.resolve("/users/ada") };
const at = (...parts: string[]): string => path.resolve(...parts);

describe("path rules written with backslashes on Windows", () => {
  it.each([
    ["Edit(secrets\\**)", "project", "secrets/**", at(bases.projectRoot, "secrets", "key.pem")],
    ["Edit(.\\secrets\\**)", "project", "secrets/**", at(bases.projectRoot, "secrets", "key.pem")],
    ["Edit(.\\.\\secrets)", "project", "secrets", at(bases.projectRoot, "secrets", "a", "b.txt")],
    ["Read(~\\.ssh\\**)", "home", ".ssh/**", at(bases.home, ".ssh", "id_rsa")],
    ["Read(~\\.ssh)", "home", ".ssh", at(bases.home, ".ssh", "id_rsa")],
    ["Read(~)", "home", "", at(bases.home, "x")],
    ["Edit(src\\**\\*.pem)", "project", "src/**/*.pem", at(bases.projectRoot, "src", "a", "b", "k.pem")],
    ["Edit(Secrets\\**)", "project", "Secrets/**", at(bases.projectRoot, "secrets", "key.pem")],
  ])("deny %s reads \\ as a folder separator and matches what it names", (rule, base, glob, target) => {
    const parsed = parseRulePattern(rule, { windows: true });
    if (parsed.specifier.kind !== "path") throw new Error(`${rule} is not a path rule`);
    expect(parsed.specifier.base).toBe(base);
    expect(parsed.specifier.glob).toBe(glob);
    expect(matchPathPattern(parsed.specifier, target, bases, true)).toBe(true);
  });

  it("a shell glob that may name a file under the rule reaches it", () => {
    const deny = compilePathPattern("~\\.ssh\\**", { windows: true });
    const read = (text: string) => ({ text, glob: true, dotglob: false, recursive: false });
    expect(mayReach(read(at(bases.home, ".ssh", "id_*")), deny, bases)).toBe(true);
    expect(mayReach(read(at(bases.home, "notes", "*")), deny, bases)).toBe(false);
  });

  it("a drive path reads the same with either separator", () => {
    const back = compilePathPattern("C:\\Users\\ada\\x\\**", { windows: true });
    const forward = compilePathPattern("C:/Users/ada/x/**", { windows: true });
    expect(back.base).toBe("absolute");
    expect(back.glob).toBe(forward.glob);
    expect(back.matches("C:/Users/ada/x/a.txt")).toBe(true);
    expect(back.matches("c:/users/ADA/x/a.txt")).toBe(true);
  });

  it("a share path (\\\\server\\share) is absolute", () => {
    const share = compilePathPattern("\\\\server\\share\\**", { windows: true });
    expect(share.base).toBe("absolute");
    expect(share.matches("//server/share/a.txt")).toBe(true);
  });

  it("~NAME\\ is that user's home", () => {
    const other = compilePathPattern("~bob\\.ssh\\**", { windows: true });
    expect(other.base).toBe("user");
    expect(other.user).toBe("bob");
    expect(other.glob).toBe(".ssh/**");
  });

  it("a rule that names nothing else is not widened: secrets\\** does not reach secrets2", () => {
    const parsed = compilePathPattern("secrets\\**", { windows: true });
    expect(matchPathPattern(parsed, at(bases.projectRoot, "secrets2", "a.txt"), bases, true)).toBe(false);
    expect(matchPathPattern(parsed, at(bases.projectRoot, "src", "secrets", "a.txt"), bases, true)).toBe(false);
  });

  it("a bracket class matches a glob character literally", () => {
    const star = compilePathPattern("notes\\[*].txt", { windows: true });
    expect(star.matches("notes/*.txt")).toBe(true);
    expect(star.matches("notes/a.txt")).toBe(false);
    const x86 = compilePathPattern("C:\\Program Files [(]x86[)]\\**", { windows: true });
    expect(x86.matches("C:/Program Files (x86)/app/a.dll")).toBe(true);
  });
});

describe("path rules on POSIX", () => {
  it("\\ escapes the next character, as a POSIX file name may hold it", () => {
    const escaped = compilePathPattern("notes/\\*.txt", { windows: false });
    expect(escaped.glob).toBe("notes/\\*.txt");
    expect(escaped.matches("notes/*.txt")).toBe(true);
    expect(escaped.matches("notes/a.txt")).toBe(false);
  });

  it("a path with backslashes stays a relative glob", () => {
    const parsed = compilePathPattern("~\\.ssh\\**", { windows: false });
    expect(parsed.base).toBe("project");
    expect(parsed.glob).toBe("~\\.ssh\\**");
  });
});

describe("literalPathGlob: a path written as a rule that matches only that path", () => {
  it.each([
    "src/[id].ts",
    "Program Files (x86)/a.dll",
    "a/{b,c}.txt",
    "!notes/a!b.md",
    "a/b]c/@(x)",
    "C:/Users/ada/x+(y)/z",
  ])("%s", (file) => {
    // A drive path is read with its backslashes as separators on POSIX too (see compilePathPattern).
    for (const windows of file.startsWith("C:") ? [true] : [true, false]) {
      const glob = literalPathGlob(file, { windows });
      if (windows) expect(glob).not.toContain("\\");
      const pattern = compilePathPattern(glob, { windows });
      expect(pattern.matches(file)).toBe(true);
      expect(pattern.matches(`${file}x`)).toBe(false);
      expect(pattern.matches(file.replace(/[[\]{}()!]/, "x"))).toBe(false);
    }
  });
});
