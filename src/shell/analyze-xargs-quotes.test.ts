import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import { xargsItems } from "./xargs-items.js";

/**
 * Without `-0` or `-d`, xargs reads quotes and backslashes in its input as a shell would, only
 * simpler: `'…'` and `"…"` keep blanks inside one item, and `\` makes the next character plain.
 * So `echo "'rm -rf /'" | xargs sh -c` runs `sh -c 'rm -rf /'`.
 */
const rated = shellRater();

/** The items real xargs hands its command for `input`, each in brackets; bash gets no stdin, so it reads no ~/.bashrc. */
const xargsGives = (input: string, options = ""): string =>
  spawnSync("bash", ["-c", `printf %s "$IN" | xargs ${options} sh -c 'for a; do printf "[%s]" "$a"; done' _`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "", IN: input },
  }).stdout;

/** The same through xargs -I, which hands one line at a time. */
const xargsLines = (input: string): string =>
  spawnSync("bash", ["-c", `printf %s "$IN" | xargs -I{} sh -c 'printf "[%s]" "$1"' _ {}`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "", IN: input },
  }).stdout;

const bracketed = (items: readonly string[]): string => items.map((i) => `[${i}]`).join("");

describe("xargs's own quoting splits its input as real xargs does", () => {
  it.each<string>([
    "'rm -rf /'\n",
    '"rm -rf /"\n',
    "rm\\ -rf\\ /\n",
    "a\\ b \"c d\" 'e\"f' g'h i'j\n",
    "'a\"b' \"c'd\"\n",
    "a '' b \"\"",
    "a ''\n",
    "a\\\nb c",
    "a \\\\ b",
    "  lead\t\ttab  \n\n trail  \n",
    "a\rb c\fd\n",
    "x\\",
    // An unmatched quote stops xargs: it runs what it read before it, and nothing after.
    "p q 'r",
    "p \"q\nr\" s\n",
    "x'a\nb'",
  ])("%j", (input) => {
    expect(bracketed(xargsItems(input, "blanks", false))).toBe(xargsGives(input));
  });

  it.each<string>(["a 'b c' d\n", "'rm -rf /'\n", "  x\\ y\n\n\"z\"\n", "''\n", "a 'b\nc'\n"])("under -I, %j", (input) => {
    expect(bracketed(xargsItems(input, "blanks", true))).toBe(xargsLines(input));
  });
});

describe("a quoted line handed to a shell by xargs is the shell's script", () => {
  it.each<[string, string]>([
    [`echo "'rm -rf /'" | xargs sh -c`, "'rm -rf /'\n"],
    [`printf '%s\\n' '"rm -rf /"' | xargs sh -c`, '"rm -rf /"\n'],
    [`echo 'rm\\ -rf\\ /' | xargs bash -c`, "rm\\ -rf\\ /\n"],
    [`xargs sh -c <<< "'rm -rf /'"`, "'rm -rf /'\n"],
    [`echo "'rm -rf /'" | xargs -I{} sh -c {}`, "'rm -rf /'\n"],
    [`echo "'rm -rf /'" | xargs -n1 sh -c`, "'rm -rf /'\n"],
  ])("%s", (command, input) => {
    // What the pipeline writes is one item for real xargs, and `sh -c` runs it.
    expect(xargsGives(input, "-n1")).toBe("[rm -rf /]");
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it("quotes around one word keep the rest apart: sh -c runs only rm", () => {
    expect(xargsGives("'rm' -rf /\n")).toBe("[rm][-rf][/]");
    const r = rated(`echo "'rm' -rf /" | xargs sh -c`);
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });

  it("quotes in a path handed to rm are taken off", () => {
    expect(xargsGives("'/'\n")).toBe("[/]");
    const r = rated(`echo "'/'" | xargs rm -rf`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });
});
