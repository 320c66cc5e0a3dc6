import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mayReach } from "./glob-reach.js";
import { compilePathPattern, literalPathGlob, matchPathPattern } from "./path-pattern.js";
import { parseRulePattern } from "./rule-syntax.js";

// A bracket expression in a path rule is read as the shell reads the same text in a command: POSIX
// classes, a `]` first as a member, `[!…]` with a `]` member, a `[` that nothing closes as itself.
const bases = { projectRoot: path.resolve("/work/p"), home: path.resolve("/users/ada") };
const at = (...parts: string[]): string => path.resolve(...parts);

function pathRule(rule: string, windows = false) {
  const parsed = parseRulePattern(rule, { windows });
  if (parsed.specifier.kind !== "path") throw new Error(`${rule} is not a path rule`);
  return parsed.specifier;
}

describe("bracket expressions in path rules", () => {
  it("a POSIX class covers what it names: deny Read(~/.[[:alpha:]]*/id_rsa)", () => {
    const deny = pathRule("Read(~/.[[:alpha:]]*/id_rsa)");
    expect(matchPathPattern(deny, at(bases.home, ".ssh", "id_rsa"), bases, true)).toBe(true);
    expect(matchPathPattern(deny, at(bases.home, ".9", "id_rsa"), bases, true)).toBe(false);
    const read = { text: at(bases.home, ".ssh", "id_*"), glob: true, dotglob: false, recursive: false };
    expect(mayReach(read, deny, bases)).toBe(true);
  });

  it("a class beside other members: Edit(src/[[:digit:]_]*.ts)", () => {
    const rule = pathRule("Edit(src/[[:digit:]_]*.ts)");
    expect(rule.matches("src/1a.ts")).toBe(true);
    expect(rule.matches("src/_a.ts")).toBe(true);
    expect(rule.matches("src/a.ts")).toBe(false);
    expect(rule.matches("src/:a.ts")).toBe(false);
  });

  it("a ] first is a member: Edit(a[]]b)", () => {
    const rule = pathRule("Edit(a[]]b)");
    expect(rule.matches("a]b")).toBe(true);
    expect(rule.matches("a[]]b")).toBe(false);
    const more = pathRule("Edit([]a]x)");
    expect(more.matches("]x")).toBe(true);
    expect(more.matches("ax")).toBe(true);
    expect(more.matches("bx")).toBe(false);
  });

  it("[!]…] is all but its members, ] among them: Read([!]]x)", () => {
    const rule = pathRule("Read([!]]x)");
    expect(matchPathPattern(rule, at(bases.projectRoot, "ax"), bases, true)).toBe(true);
    expect(matchPathPattern(rule, at(bases.projectRoot, "]x"), bases, true)).toBe(false);
    expect(matchPathPattern(rule, at(bases.projectRoot, "!]x"), bases, true)).toBe(false);
  });

  it("a [ that nothing closes is itself, and so is one whose ] is past a /", () => {
    const open = pathRule("Edit(notes/[draft*)");
    expect(open.matches("notes/[draft.md")).toBe(true);
    expect(open.matches("notes/draft.md")).toBe(false);
    const split = pathRule("Edit([a/b])");
    expect(split.matches("[a/b]")).toBe(true);
    expect(split.matches("a")).toBe(false);
    expect(split.matches("b")).toBe(false);
  });

  it("a file named as the rule is written is not matched for that alone: Edit([ab]x)", () => {
    const rule = pathRule("Edit([ab]x)");
    expect(rule.matches("ax")).toBe(true);
    expect(rule.matches("[ab]x")).toBe(false);
  });

  it("[.c.] and [=c=] are the character c", () => {
    expect(pathRule("Read([[.a.]]x)").matches("ax")).toBe(true);
    expect(pathRule("Read([[=a=]]x)").matches("ax")).toBe(true);
    expect(pathRule("Read([[=a=]]x)").matches("bx")).toBe(false);
  });

  it("a rule that could not mean what was meant is refused, saying why", () => {
    expect(() => parseRulePattern("Read([[:alhpa:]]*)")).toThrow(/\[:alhpa:\] is not a character class/);
    expect(() => parseRulePattern("Read([z-a]*)")).toThrow(/goes backwards/);
  });

  it("on Windows \\ still separates folders, and [!] is still a literal !", () => {
    const rule = pathRule("Edit(src\\[[:alpha:]]*\\**)", true);
    expect(rule.matches("src/a/k.pem")).toBe(true);
    expect(rule.matches("src/1/k.pem")).toBe(false);
    const bang = pathRule("Edit(a[!]b)", true);
    expect(bang.matches("a!b")).toBe(true);
    expect(bang.matches("acb")).toBe(false);
  });

  it("a path that literalPathGlob writes for a rule names only that path, ] and ! beside each other too", () => {
    for (const windows of [false, true]) {
      for (const file of ["!]x", "a![b]", "x/!y]", "[!]]x"]) {
        const rule = compilePathPattern(literalPathGlob(file, { windows }), { windows });
        expect(rule.matches(file)).toBe(true);
        expect(rule.matches(file.replace(/[\]!]/, "a"))).toBe(false);
      }
    }
  });
});

// The rule and the shell read the same text alike: each file whose name is one printable character
// and `x` is matched by the rule exactly when bash's pathname expansion (with dotglob, as rules
// include dotfiles) names it.
describe("a path rule's bracket expressions agree with bash", () => {
  const patterns = [
    "[]]x", "[!]]x", "[^]]x", "[]a]x", "[!]a]x", "[a-]x", "[!a-z]x", "[a!]x", "[a^]x",
    "[[:alpha:]]x", "[[:punct:]]x", "[[:alnum:]_]x", "[![:alnum:]]x", "[[:space:][:upper:]]x", "[[:alpha:]-c]x", "[[:cntrl:]]x",
    "[![:cntrl:]]x", "[[:ascii:]]x", "[[:graph:]]x",
    "[[.a.]]x", "[[=-=]]x", "[\\]]x", "[a\\-c]x", "[\\\\]x", "[!\\\\]x", "[[]x", "[![]x", "[Z-a]x", "[*?]x", "[{}]x",
  ];
  const names = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== "/").map((c) => `${c}x`);
  let dir = "";
  let shell = new Map<string, Set<string>>();

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wren-brackets-"));
    for (const name of names) fs.writeFileSync(path.join(dir, name), "");
    // Each pattern is written unquoted, as in a command; printf only prints the names it expands to.
    const script = ["shopt -s nullglob dotglob", ...patterns.map((p) => `printf '%s\\0' ${p}; printf '\\n'`)].join("\n");
    const run = spawnSync("bash", ["--norc", "--noprofile", "-c", script], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, LC_ALL: "C" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n").slice(0, patterns.length);
    shell = new Map(patterns.map((p, k) => [p, new Set((lines[k] ?? "").split("\0").filter((n) => n !== ""))]));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(patterns)("%s", (pattern) => {
    const expected = shell.get(pattern) ?? new Set<string>();
    const rule = compilePathPattern(pattern, { windows: false });
    expect(names.filter((n) => rule.matches(n))).toEqual(names.filter((n) => expected.has(n)));
    // A deny rule's reading for shell commands (glob-reach) agrees with its compiled glob.
    const reached = names.filter((n) => mayReach({ text: at(bases.projectRoot, n), glob: false, dotglob: true, recursive: false }, rule, bases));
    expect(reached).toEqual(names.filter((n) => expected.has(n)));
    // And a command's word with the same text reaches a deny rule on each file it names. Its text
    // has its escapes taken out by then, so only the patterns without one are read so.
    if (pattern.includes("\\")) return;
    const word = { text: at(bases.projectRoot, pattern), glob: true, dotglob: true, recursive: false };
    const named = names.filter((n) => mayReach(word, compilePathPattern(`./${literalPathGlob(n, { windows: false })}`, { windows: false }), bases));
    expect(named).toEqual(names.filter((n) => expected.has(n)));
  });
});
