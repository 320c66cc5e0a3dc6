import { beforeAll, describe, expect, it } from "vitest";
import type { Parser } from "web-tree-sitter";
import { shellRater } from "../../test/helpers/shell-rated.js";
import { loadBashParser, parseBash } from "./bash-parser.js";
import { parseFish } from "./fish-parser.js";
import { PIPED_BLOCK_UNITS } from "./ir.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * `echo a | { echo a | { …; }; }`: the commands of a piped block are read once as they are and once
 * with the pipe's input, at each level, so the readings double with each level of nesting. Past
 * {@link PIPED_BLOCK_UNITS} a block's commands are no longer read again with the input, and the line
 * is at least high.
 */
const rated = shellRater();
const env = { cwd: "/home/ada/code/app", home: "/home/ada" };
const bash = (n: number, inner: string): string => "echo 'rm -rf ~' | { ".repeat(n) + `${inner}; ` + "}; ".repeat(n);
const fish = (n: number, inner: string): string => "echo 'rm -rf ~' | begin; ".repeat(n) + `${inner}; ` + "end; ".repeat(n);
const DETAIL = "blocks piped into one another are nested more deeply than wren follows";

describe("nested piped blocks", () => {
  let parser: Parser | undefined;
  beforeAll(async () => {
    parser = await loadBashParser();
    return () => parser?.delete();
  });

  it.each<[ShellKind, string, Risk]>([
    ["bash", "echo 'rm -rf ~' | { { bash; }; }", "critical"],
    ["bash", bash(3, "bash"), "critical"],
    ["bash", bash(3, "cat"), "safe"],
    ["fish", fish(3, "bash"), "critical"],
    ["fish", fish(3, "cat"), "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details).not.toContain(DETAIL);
  });

  it.each<[ShellKind, (n: number, inner: string) => string]>([
    ["bash", bash],
    ["fish", fish],
  ])("%s: 20 levels are read in bounded work and rated high with why", (shell, line) => {
    const command = line(20, "cat");
    const script = shell === "bash" ? parseBash(parser as Parser, command, env) : parseFish(command, env);
    // Without the bound: about 2^20 units.
    expect(script.units.length).toBeLessThan(4 * PIPED_BLOCK_UNITS);
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toContain(DETAIL);
  });
});
