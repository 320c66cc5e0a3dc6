import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `find … -exec sh -c "wc -l {}" \;` and `find … | xargs -I{} sh -c "wc -l {}"` put each file's
 * name into shell code: a file named `$(…)` or `a;cmd` runs as a command (shellcheck's SC2156).
 * wren does not know the names find hands on, so that code is only known at run time, as
 * `sh -c "wc -l $X"` is; what the code does with the files is judged too.
 */
const rated = shellRater();
const dir = mkdtempSync(path.join(os.tmpdir(), "wren-find-code-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a line prints when run by bash in `dir` (printf and echo only: nothing else runs). */
const output = (line: string): string =>
  spawnSync("bash", ["-c", line], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "" } }).stdout;

describe("file names find hands on, put into a shell's -c code", () => {
  it("are run as code by the shell (GNU find and xargs -I put them inside the code's text)", () => {
    writeFileSync(path.join(dir, "a;echo INJECTED.txt"), "");
    expect(output(`find . -name "*.txt" -exec printf '[%s]' "x{}y" \\;`)).toBe("[x./a;echo INJECTED.txty]");
    // The name's `;echo INJECTED.txt` runs as a command of its own after printf's `./a`.
    expect(output(`find . -name "*.txt" -exec sh -c "printf '[%s]' {}" \\;`)).toBe("[./a]INJECTED.txt\n");
    expect(output(`find . -name "*.txt" | xargs -I{} sh -c "printf '[%s]' {}"`)).toBe("[./a]INJECTED.txt\n");
    // Handed over as an argument, the name stays data.
    expect(output(`find . -name "*.txt" -exec sh -c 'printf "[%s]" "$1"' _ {} \\;`)).toBe("[./a;echo INJECTED.txt]");
  });

  it.each([
    `find . -name "*.txt" -exec sh -c "wc -l {}" \\;`,
    `find . -name "*.txt" | xargs -I{} sh -c "wc -l {}"`,
    `find . -name "*.c" -exec bash -ec "gcc -c {}" \\;`,
    `find src -type f -exec sh -c "cat {} | wc -l" \\;`,
  ])("%s is rated as sh -c with code only known at run time", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(rated(`sh -c "wc -l $X"`).risk);
    expect(r.risk, r.shown).not.toBe("safe");
    expect(r.details.join("\n"), r.shown).toMatch(/-c runs a command line only known at run time/);
  });

  it("what the code does with the files still counts: rm -rf inside it is judged as find -exec rm -rf", () => {
    expect(rated(`find ~ -exec sh -c "rm -rf {}" \\;`).risk).toBe(rated(`find ~ -exec rm -rf {} \\;`).risk);
    expect(rated(`find ~ -exec sh -c "rm -rf {}" \\;`).risk).toBe("critical");
    expect(rated(`find ~ | xargs -I{} sh -c "rm -rf {}"`).risk).toBe("critical");
    const direct = rated(`find . -name "*.txt" -exec rm -rf {} \\;`);
    expect(direct.risk).toBe("moderate");
    expect(rated(`find . -name "*.txt" -exec sh -c "rm -rf {}" \\;`).risk).toBe("high");
  });

  it("names handed over as arguments, known items and plain commands stay as they were", () => {
    for (const line of [
      `find . -name "*.txt" -exec sh -c 'wc -l "$1"' _ {} \\;`,
      `find . -name "*.txt" -exec sh -c 'for f; do wc -l "$f"; done' _ {} +`,
      `find . -name "*.txt" -exec wc -l {} \\;`,
      `find . -exec cp {} {}.bak \\;`,
      `find . -name "*.txt" | xargs -I{} cp {} {}.bak`,
      `echo a.txt | xargs -I{} sh -c "wc -l {}"`,
      `find . -name "*.txt" -exec sh -c "echo done" \\;`,
    ]) {
      const r = rated(line);
      expect(r.risk, `${line}\n${r.shown}`).toBe("safe");
    }
  });
});
