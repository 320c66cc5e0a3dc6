import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import { braces, mayReach } from "./glob-reach.js";
import { compilePathPattern } from "./path-pattern.js";

const root = path.resolve("/work/proj");
const bases = { projectRoot: root, home: path.resolve("/home/u") };
const at = (p: string): string => path.join(root, p);

describe("mayReach: whether a read known as a pattern may be a path a deny rule names", () => {
  it.each<[string, string, { glob?: boolean; dotglob?: boolean; recursive?: boolean }, boolean]>([
    [at(".en*"), "**/.env", { glob: true }, true],
    [at(".e?v"), "**/.env", { glob: true }, true],
    [at(".[e]nv"), "**/.env", { glob: true }, true],
    [at("*/.env"), "**/.env", { glob: true }, true],
    [at(".env.p*"), ".env.{local,prod}", { glob: true }, true],
    [at(".env.d*"), ".env.{local,prod}", { glob: true }, false],
    [at("*.pem"), "**/*.pem", { glob: true }, true],
    [at("*.txt"), "**/*.pem", { glob: true }, false],
    [at("sec*"), "secrets", { glob: true }, true],
    [path.resolve("/home/u/.ssh/*"), "~/.ssh/**", { glob: true }, true],
    // The shell's * and ? do not match a leading dot unless told to.
    [at("*"), "**/.env", { glob: true }, false],
    [at("*.env"), "**/.env", { glob: true }, false],
    [at("?env"), "**/.env", { glob: true }, false],
    [at("*"), "**/.env", { glob: true, dotglob: true }, true],
    [at("src/*.ts"), "**/.env", { glob: true }, false],
    [at("src/*/x"), "**/.env", { glob: true }, false],
    // A glob character in a quoted word is literal.
    [at(".en*"), "**/.env", { glob: false }, false],
    // Folders read whole reach what is below them.
    [at("src"), "**/.env", { recursive: true }, true],
    [root, "secrets/**", { recursive: true }, true],
    [at("docs"), "secrets/**", { recursive: true }, false],
    [at("src"), ".env", { recursive: true }, false],
    // A run-time value may be any path, and the part after it is all that is sure: even `….txt`
    // may be below a folder a rule names.
    ["\u0000", "**/.env", {}, true],
    ["\u0000/.env", "**/.env", {}, true],
    ["\u0000.txt", "**/.env", {}, true],
    ["\u0000.txt", "**/*.pem", {}, true],
    ["\u0000", "/etc/shadow", {}, true],
  ])("%j against %s (%j) → %s", (text, deny, flags, expected) => {
    const read = { text, glob: flags.glob ?? false, dotglob: flags.dotglob ?? false, recursive: flags.recursive ?? false };
    expect(mayReach(read, compilePathPattern(deny), bases)).toBe(expected);
  });
});

describe("braces", () => {
  it.each<[string, string[]]>([
    [".{env,x}", [".env", ".x"]],
    ["a{b,{c,d}}e", ["abe", "ace", "ade"]],
    [".{e..f}nv", [".env", ".fnv"]],
    ["x{1..3}", ["x1", "x2", "x3"]],
    ["{}", ["{}"]],
    ["plain", ["plain"]],
  ])("%s → %j", (text, expected) => {
    expect(braces(text)).toEqual(expected);
  });
});

describe("mayReach: bracket expressions as the shell and picomatch read them", () => {
  const home = (p: string): string => path.join(bases.home, p);
  // As `rm -rf` reads them: each folder named, and all below it.
  const read = (text: string) => ({ text, glob: true, dotglob: false, recursive: true });
  it.each<[string, string, boolean]>([
    // A POSIX class names the characters of its class, never its own letters.
    [home(".[[:alpha:]]*"), "~/.ssh/**", true],
    [home(".[[:lower:]]sh"), "~/.ssh/**", true],
    [home(".[[:alnum:]_]*/id_*"), "~/.ssh/**", true],
    [home("[[:alpha:]]*"), "~/notes/**", true],
    [home(".[[:digit:]]*"), "~/.ssh/**", false],
    [home(".[[:upper:]]*"), "~/.ssh/**", false],
    [home(".[![:digit:]]*"), "~/.ssh/**", true],
    [home(".[^[:alpha:]]*"), "~/.ssh/**", false],
    // `]` first in a bracket is one of its characters, and the expression goes on to the next `]`.
    [home(".[]s]sh"), "~/.ssh/**", true],
    [home(".[!]x]sh"), "~/.ssh/**", true],
  ])("%s against %s → %s", (text, deny, expected) => {
    expect(mayReach(read(text), compilePathPattern(deny), bases)).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    [".[[:alpha:]]*", ".ssh", true],
    [".[[:alpha:]]*", ".1", false],
    ["[[:digit:]][[:digit:]]", "42", true],
    ["[[:digit:]][[:digit:]]", "4a", false],
  ])("a deny rule %s reaches %s as picomatch matches it: %s", (deny, name, expected) => {
    const pattern = compilePathPattern(`~/${deny}`);
    expect(pattern.matches(name)).toBe(expected);
    expect(mayReach({ text: home(name), glob: false, dotglob: false, recursive: false }, pattern, bases)).toBe(expected);
  });
});

describe("a command whose glob holds a POSIX class, against deny rules", () => {
  it.each(["cat ~/.[[:alpha:]]*/id_rsa", "cat ~/.[[:lower:]][[:lower:]]h/*"])("%s is not allowed past Read(~/.ssh/**)", async (command) => {
    const commands = await createCommandAnalyzer();
    const rules = [
      { action: "allow" as const, pattern: "Bash(cat *)", scope: "flag" as const },
      { action: "deny" as const, pattern: "Read(~/.ssh/**)", scope: "flag" as const },
    ];
    const options = { rules, mode: "default" as const, ...bases, interactive: true, commands, realPath: (p: string) => p };
    expect(decide({ tool: "Bash", effect: "execute", command }, options).action).not.toBe("allow");
  });
});
