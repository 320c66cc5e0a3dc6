import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Parser } from "web-tree-sitter";
import { loadBashParser, parseBash } from "./bash-parser.js";
import type { Word } from "./ir.js";

/**
 * Bash expands a tilde-prefix (a word's `~` up to its first unquoted `/`) only when none of its
 * characters is quoted: `~/x` is the home, `~"/x"` and `""~/x` are the text `~/x`. Each word below
 * is given to bash, with HOME set, and to wren's parser.
 */
describe("a ~ is the home in a bash word exactly where bash expands it", () => {
  let parser: Parser;
  let home: string;
  beforeAll(async () => {
    parser = await loadBashParser();
    home = mkdtempSync(path.join(os.tmpdir(), "wren-tilde-prefix-"));
  });
  afterAll(() => {
    parser.delete();
    rmSync(home, { recursive: true, force: true });
  });

  const bashSays = (word: string): string =>
    execFileSync("bash", ["-c", `printf '<%s>' ${word}`], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: home }, cwd: home });

  const wrenWords = (line: string): Word[] => {
    const unit = parseBash(parser, line, { cwd: home, home }).units[0];
    return unit?.kind === "pipeline" ? (unit.stages[0]?.argv ?? []) : [];
  };

  it.each(['""~/x', '~"/x"', '~""', '~"bob"/x', "''~/x", "~'/x'", "~$'/x'", '"a"~/x', "~\\/x", "~\\root/x", '~root"/x"', '~+"/x"', "~$HOME", "~$(echo /x)"])(
    "%s is the text bash makes of it",
    (word) => {
      const said = bashSays(word);
      expect(said.startsWith(`<${home}`), said).toBe(false);
      const argv = wrenWords(`printf '<%s>' ${word}`);
      expect(argv).toHaveLength(3);
      const w = argv[2];
      expect(w?.text.startsWith(home), JSON.stringify(w)).toBe(false);
      if (!w?.dynamic) expect(`<${w?.text}>`).toBe(said);
    },
  );

  it.each(["~/x", "~", '~/x""', '~/"x"', "~/x'y'", "~+/x"])("%s is the home (or the working directory) as bash makes it", (word) => {
    const said = bashSays(word);
    expect(said.startsWith(`<${home}`), said).toBe(true);
    const w = wrenWords(`printf '<%s>' ${word}`)[2];
    expect(`<${w?.text}>`).toBe(said);
  });

  it("~bob/x unquoted is bob's home, and x=~/y the home in an assignment", () => {
    const bob = parseBash(parser, "ls ~bob/x", { cwd: "/home/ada/code", home: "/home/ada" }).units[0];
    expect(bob?.kind === "pipeline" ? bob.stages[0]?.argv[1]?.text : undefined).toBe("/home/bob/x");
    const unit = parseBash(parser, "x=~/y", { cwd: home, home }).units[0];
    expect(unit?.kind === "assign" ? unit.value?.text : undefined).toBe(`${home}/y`);
  });
});

/**
 * In an assignment's value bash expands a `~` after each unquoted `:` too (`PATH=~/bin:~/.local/bin`),
 * and, outside POSIX mode, in an argument written as an assignment (`env x=a:~/y`, `dd of=~/x`).
 * Each value is given to bash, with HOME set, and to wren's parser.
 */
describe("a ~ after : or = in an assignment is the home, as bash expands it", () => {
  let parser: Parser;
  const home = "/home/ada";
  const cwd = "/tmp";
  beforeAll(async () => {
    parser = await loadBashParser();
  });
  afterAll(() => parser.delete());

  const bash = (script: string): string => execFileSync("bash", ["-c", script], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: home }, cwd });
  const units = (line: string) => parseBash(parser, line, { cwd, home }).units;

  it.each(["a:~/y", "~/y:~", "a:~", "a::~/y", "~:a", "a:~root/y", "a:~+/y", "$PWD:~/q", '"$PWD":~/q', 'a:~"/y"', 'a:"~"/y', '"a:~/y"', "a:\\~/q", "a=~/y"])(
    "x=%s is what bash assigns, also in declare, export and before a command",
    (value) => {
      const said = bash(`x=${value}; printf '<%s>' "$x"`);
      for (const line of [`x=${value}`, `declare x=${value}`, `export x=${value}`, `local x=${value}`]) {
        const unit = units(line).find((u) => u.kind === "assign");
        expect(unit?.kind === "assign" ? `<${unit.value?.text}>` : undefined, line).toBe(said);
      }
      expect(bash(`x=${value} printenv x`)).toBe(`${said.slice(1, -1)}\n`);
      const prefixed = units(`x=${value} printenv x`)[0];
      const env = prefixed?.kind === "pipeline" ? prefixed.stages[0]?.env?.[0] : undefined;
      expect(env?.kind === "assign" ? `<${env.value?.text}>` : undefined).toBe(said);
    },
  );

  it.each(["of=~/x", "of=a:~/x", "b=a:~:~/q", 'b="a":~/x', "a+=~/x", "b=$PWD:~", "--prefix=~/x", "1x=~/x", '"b"=~/x', 'b=a:~"/x"', "a:~/y"])(
    "the argument %s is what bash makes of it",
    (word) => {
      const said = bash(`printf '<%s>' ${word}`);
      for (const line of [`printf '<%s>' ${word}`, `builtin printf '<%s>' ${word}`]) {
        const unit = units(line)[0];
        const argv = unit?.kind === "pipeline" ? (unit.stages[0]?.argv ?? []) : [];
        expect(`<${argv[argv.length - 1]?.text}>`, line).toBe(said);
      }
    },
  );

  it("a ~ after : is HOME as the line set it", () => {
    const unit = units("HOME=/tmp/h; x=a:~/y")[1];
    expect(unit?.kind === "assign" ? unit.value : undefined).toMatchObject({ text: "a:\u0000/y", dynamic: true, vars: ["HOME"] });
  });
});
