import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { Parser } from "web-tree-sitter";
import { loadBashParser, parseBash } from "./bash-parser.js";
import { parseFish } from "./fish-parser.js";
import type { Script, Word } from "./ir.js";
import { resolveWords, type Variables } from "./variables.js";

/**
 * The parsers against the real shells: each line below is run by bash, zsh, sh and fish, and the
 * words the shell hands to printf must be the words wren's parser sees. Only harmless commands
 * (printf, assignments) are run. zsh and fish come from `.ci/run`; on a machine without them these
 * tests are skipped with a printed reason, except under CI, where a missing shell is a failure.
 */

const home = "/home/ada";
const cwd = "/home/ada/code/app";
const PRINT = "printf '<%s>\\n'";

/** Argument lists (after `printf '<%s>\n'`) whose quoting and expansion every POSIX-like shell agrees on. */
const POSIX_ARGS = [
  "plain words here",
  "'single quoted' \"double quoted\"",
  "'it'\\''s' \"say \\\"hi\\\"\"",
  "a\\ b c\\\\d",
  "'$HOME' \"$HOME\" $HOME",
  "~ ~/notes.txt '~/x'",
  "\"tab\\there\" 'back\\slash'",
  "\"a\"'b'c",
  "\"\" ''",
  "'rm -rf /'",
  "\"\\$x\" '\\$y'",
  "-rf -- --flag=value",
];

/** Only bash and zsh read `$'…'`; dash (sh) does not. */
const ANSI_C_ARGS = ["$'\\x72\\x6d' $'a\\tb' $'it\\'s'"];

/** Assignments earlier on the line: an unquoted value is split into words (bash and sh; zsh does not split). */
const SPLITTING_LINES = ["x='a b'; " + PRINT + " $x \"$x\"", "d=/; f=etc; " + PRINT + " $d$f \"$d\"x"];

const FISH_ARGS = [
  "plain words here",
  "'single quoted' \"double quoted\"",
  "'it\\'s' \"say \\\"hi\\\"\"",
  "a\\ b c\\\\d",
  "'$HOME' \"$HOME\" $HOME",
  "~ ~/notes.txt '~/x'",
  "\"a\"'b'c",
  "'rm -rf /'",
  "\"\\$x\"",
  "-rf -- --flag=value",
];
const FISH_LINES = ["set x a b; " + PRINT + " $x \"$x\"", "set d /etc; " + PRINT + " $d \"$d\"/x"];

/** The words printf gets, as wren sees them: the last printf of the line, variables filled in. */
function wrenWords(script: Script): string[] {
  const vars: Variables = new Map();
  let words: Word[] = [];
  for (const unit of script.units) {
    if (unit.kind === "assign") {
      if (unit.value && !unit.value.dynamic) vars.set(unit.name, unit.value.text);
      continue;
    }
    if (unit.kind !== "pipeline") continue;
    const argv = unit.stages[0]?.argv ?? [];
    if (argv[0]?.text === "set" && argv.length >= 3) vars.set(argv[1]?.text ?? "", argv.slice(2).map((w) => w.text).join(" "));
    if (argv[0]?.text === "printf") words = resolveWords(argv, vars).slice(2);
  }
  for (const w of words) expect(w.dynamic, `wren should know ${JSON.stringify(w)}`).toBe(false);
  return words.map((w) => w.text);
}

function shellWords(shell: string, line: string): string[] {
  const r = spawnSync(shell, ["-c", line], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, LC_ALL: "C.UTF-8" }, encoding: "utf8", cwd: "/" });
  expect(r.status, `${shell} -c ${line}: ${r.stderr}`).toBe(0);
  return [...r.stdout.matchAll(/<([^>]*)>\n/g)].map((m) => m[1] ?? "");
}

function installed(shell: string): boolean {
  return spawnSync(shell, ["-c", "true"]).status === 0;
}

let parser: Parser;
beforeAll(async () => {
  parser = await loadBashParser();
  return () => parser.delete();
});

const env = { cwd, home };
const SHELLS: Array<{ shell: string; lines: string[]; parse: (text: string) => Script }> = [
  { shell: "bash", lines: [...POSIX_ARGS, ...ANSI_C_ARGS].map((a) => `${PRINT} ${a}`).concat(SPLITTING_LINES), parse: (t) => parseBash(parser, t, env) },
  { shell: "sh", lines: POSIX_ARGS.map((a) => `${PRINT} ${a}`).concat(SPLITTING_LINES), parse: (t) => parseBash(parser, t, env) },
  { shell: "zsh", lines: [...POSIX_ARGS, ...ANSI_C_ARGS].map((a) => `${PRINT} ${a}`), parse: (t) => parseBash(parser, t, env) },
  { shell: "fish", lines: FISH_ARGS.map((a) => `${PRINT} ${a}`).concat(FISH_LINES), parse: (t) => parseFish(t, env) },
];

for (const { shell, lines, parse } of SHELLS) {
  const present = installed(shell);
  if (!present && process.env["CI"] !== "true") {
    console.warn(`live-shell tests for ${shell} skipped: ${shell} is not on PATH, so wren's parser is not compared with it (under CI=true this fails)`);
  }
  describe.skipIf(!present && process.env["CI"] !== "true")(`the ${shell} parser agrees with the real ${shell}`, () => {
    it(`${shell} is installed`, () => {
      expect(present, `${shell} must be on PATH under CI (.ci/run installs zsh and fish)`).toBe(true);
    });
    it.each(lines)(`%s`, (line) => {
      expect(wrenWords(parse(line))).toEqual(shellWords(shell, line));
    });
  });
}
