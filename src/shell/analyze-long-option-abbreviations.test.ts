import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * GNU getopt_long takes an abbreviation of exactly one long option for that option: `xargs --arg
 * list.txt sh -c` reads list.txt as `--arg-file`'s value and runs `sh -c`. wren reads xargs's and
 * the GNU wrappers' options the same way, so the value is not taken for the command.
 */
const rated = shellRater();

const dir = mkdtempSync(path.join(tmpdir(), "wren-long-options-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, "list.txt"), "from-file\n");

/** What real bash prints for `line` in `dir`; bash gets no stdin, so it reads no ~/.bashrc. */
const bashSays = (line: string): string =>
  spawnSync("bash", ["-c", line], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } }).stdout;
const SHOW = `sh -c 'for a; do printf "[%s]" "$a"; done' _`;

describe("xargs's long options cut short", () => {
  it.each<string>(["--arg list.txt", "--arg-f list.txt", "--a list.txt", "--arg=list.txt"])("xargs %s reads the file", (options) => {
    expect(bashSays(`echo from-pipe | xargs ${options} ${SHOW}`)).toBe("[from-file]");
    const r = rated(`echo ls | xargs ${options} sh -c`);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toContain("sh -c runs a command line only known at run time");
  });

  it.each<string>(["--max-a 1", "--max-p 2", "--max-c 4096", "--pro V", "--del x"])("xargs %s takes the next word as its value", (options) => {
    expect(bashSays(`printf / | xargs ${options} ${SHOW}`)).toBe("[/]");
    const r = rated(`printf / | xargs ${options} rm -rf`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it("--nu is --null: only NUL splits, blanks stay in the item", () => {
    expect(bashSays(`printf 'rm -rf /' | xargs --nu ${SHOW}`)).toBe("[rm -rf /]");
    const r = rated("printf 'rm -rf /' | xargs --nu sh -c");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<[string, string]>([
    ["--rep=Q", "Q"],
    ["--re", "{}"],
  ])("xargs %s replaces %s with each line", (option, replace) => {
    expect(bashSays(`echo / | xargs ${option} ${SHOW} ${replace}`)).toBe("[/]");
    const r = rated(`echo / | xargs ${option} rm -rf ${replace}`);
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it("an abbreviation of several options is refused, and runs nothing", () => {
    const run = spawnSync("bash", ["-c", `echo / | xargs --max 1 ${SHOW}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("ambiguous");
  });
});

describe("other GNU wrappers' long options cut short", () => {
  it.each<[string, string]>([
    ["env --un HOME", "[]"],
    ["env --unset=HOME", "[]"],
    ["env --ignore-e", "[]"],
  ])("%s leaves HOME out of the child's environment", (wrapper, home) => {
    expect(bashSays(`${wrapper} sh -c 'printf "[%s]" "$HOME"'`)).toBe(home);
    const r = rated(`${wrapper} sh -c 'rm -rf $HOME/'`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<string>(["timeout --sig KILL 5", "timeout --k 1 5", "nice --adj 5", "stdbuf --out L", "env --ch /tmp"])("%s runs the command after the option's value", (wrapper) => {
    expect(bashSays(`${wrapper} ${SHOW} /`)).toBe("[/]");
    const r = rated(`${wrapper} rm -rf /`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });
});
