import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import { splitString } from "./env-split-string.js";

/**
 * `env -S STRING` (`-SSTRING`, `--split-string=STRING`, a shebang's `#!/usr/bin/env -S …`) splits
 * STRING into words with env's own quoting and runs them: `env -S 'rm -rf /'` runs `rm -rf /`.
 * Each split is checked against real env where it is GNU env with -S.
 */
const rated = shellRater();

const realEnv = spawnSync("env", ["-S", "true"], { stdio: ["ignore", "pipe", "pipe"] }).status === 0;

/** The words real env splits `string` into, each as `[word]`, or undefined where it refuses the string. */
function envSplits(string: string): string | undefined {
  const run = spawnSync("env", ["-S", `printf [%s] ${string}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", X: "x y" } });
  return run.status === 0 ? run.stdout : undefined;
}

describe("env's split string, word by word", () => {
  it.each<string>([
    "a b",
    "a\\_b",
    `'a b' "c d"`,
    `"a\\_b"`,
    `'a\\tb' "a\\tb"`,
    `'it\\'s' "\\$x"`,
    `a'b'"c" ''`,
    "a #b c",
    `a "#b" c#d`,
    "a \\c b",
    "'a\\b'",
  ])("%s", (string) => {
    const words = splitString(string);
    expect(words).toBeDefined();
    if (realEnv) expect(envSplits(string)).toBe((words ?? []).map((w) => `[${w.text}]`).join(""));
  });

  it.each<string>(["'a", `"a`, "a\\", "$X", "a\\q", `"a\\c"`])("%s is refused", (string) => {
    expect(splitString(string)).toBeUndefined();
    if (realEnv) expect(envSplits(string)).toBeUndefined();
  });

  it("${NAME} is the variable's value, one word whatever it holds", () => {
    const words = splitString("a${X}b c") ?? [];
    expect(words.map((w) => w.dynamic)).toEqual([true, false]);
    expect(words[0]?.vars).toEqual(["X"]);
    if (realEnv) expect(envSplits("a${X}b c")).toBe("[ax yb][c]");
  });
});

describe("the command env -S runs", () => {
  it.each<string>([
    "env -S 'rm -rf /'",
    `env -S"rm -rf /"`,
    "env -S 'rm -rf' /",
    "env --split-string='rm -rf /'",
    "env --split-string 'rm -rf /'",
    "env --sp 'rm -rf /'",
    "env -iS'rm -rf /'",
    "env -u HOME -S 'rm -rf /'",
    "env -S 'rm\\_-rf\\_/'",
    `env -S "rm -rf '/'"`,
    `env -S '-i -S"rm -rf /"'`,
    `env -S 'FOO=/ sh -c "rm -rf \\$FOO"'`,
  ])("%s deletes /", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it("the string's words run as real env runs them", () => {
    if (!realEnv) return;
    const says = (line: string): string => spawnSync("bash", ["-c", line], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).stdout;
    expect(says(`env -S"printf [%s] /"`)).toBe("[/]");
    expect(says("env -iS'printf [%s]' /")).toBe("[/]");
    expect(says(`env -S '-i -S"printf [%s] /"'`)).toBe("[/]");
    expect(says(`env -S 'FOO=/ sh -c "printf [%s] \\$FOO"'`)).toBe("[/]");
    expect(says("env --sp 'printf [%s] /'")).toBe("[/]");
  });

  it.each<string>(["env -S 'ls -la'", "env -S 'echo rm -rf /'", "env -S 'ls #; rm -rf /'"])("%s is safe", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("safe");
  });

  it("a string env refuses runs nothing", () => {
    const r = rated("env -S 'rm -rf $HOME'");
    expect(r.details, r.shown).not.toContain("deletes your home folder recursively");
    expect(r.risk, r.shown).toBe("safe");
  });

  it("a string only known at run time is unresolved", () => {
    const r = rated(`env -S "$CMD"`);
    expect(r.details, r.shown).toContain("env -S runs a command line only known at run time");
  });
});
