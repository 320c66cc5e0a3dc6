import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * `printf -v x …` and `read x` assign x only where the shell's own builtin runs: not where a function
 * of that name the line defined runs instead, and not through a program that runs an outside
 * `printf` (`env`, `sudo`). Each line runs in bash with `rm -rf` shown, not run, to tell what it
 * deletes: wren must rate it as `rm -rf` of that, or as a path only known at run time (high) where
 * what a function does with its words is only known then.
 */
const rated = shellRater();

const env = { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" };
const bashDeletes = (line: string): string => execFileSync("bash", ["-c", line.replaceAll("rm -rf", "builtin printf '<%s>'")], { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] });

describe("a function of a builtin's name runs instead of it", () => {
  it.each<[string, string, Risk]>([
    // x is what the function leaves it: wren does not follow the function's words, so it is only known at run time.
    ["printf() { :; }; printf -v x /; rm -rf $x", "<>", "high"],
    ["function printf { :; }; printf -v x /; rm -rf $x", "<>", "high"],
    ["eval 'printf() { :; }'; printf -v x /; rm -rf $x", "<>", "high"],
    // Or what it was: the function need not change it.
    ["x=/; printf() { :; }; printf -v x /tmp/a; rm -rf $x", "</>", "critical"],
    ["x=/; read() { :; }; read x <<< /tmp/a; rm -rf $x", "</>", "critical"],
    // builtin and command run the builtin, past the function.
    ["printf() { :; }; builtin printf -v x /; rm -rf $x", "</>", "critical"],
    ["printf() { :; }; command printf -v x /; rm -rf $x", "</>", "critical"],
    // Defined after the use (in a loop, the first time round), the builtin runs.
    ["printf -v x /; rm -rf $x; printf() { :; }", "</>", "critical"],
    ["for i in 1; do printf -v x /; rm -rf $x; printf() { :; }; done", "</>", "critical"],
  ])("%j deletes %s in bash and is %s", (line, deletes, risk) => {
    expect(bashDeletes(line)).toBe(deletes);
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    if (deletes === "<>") expect(r.details, r.shown).not.toContain("deletes / recursively");
  });
});

describe("an outside printf sets no variable of the shell", () => {
  it.each<[string, string, Risk]>([
    ["env printf -v x / >/dev/null; rm -rf $x", "<>", "high"],
    ["x=/tmp/a; env printf -v x / >/dev/null; rm -rf $x", "</tmp/a>", "moderate"],
    ["x=/tmp/a; nice printf -v x / >/dev/null; rm -rf $x", "</tmp/a>", "moderate"],
  ])("%j deletes %s in bash and is %s", (line, deletes, risk) => {
    expect(bashDeletes(line)).toBe(deletes);
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
  });
});
