import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A wrapper in front of the shell that `find -exec`, `xargs -I{}` or `fd -x` runs (`sudo`, `env`,
 * `nice`, `nohup`, `timeout 5`) hands the shell the same `-c` code: the file names put into its text
 * still run as code, as they do without the wrapper (see analyze-find-names-in-code.test.ts).
 */
const rated = shellRater();
const dir = mkdtempSync(path.join(os.tmpdir(), "wren-find-wrapped-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ORDER: readonly Risk[] = ["safe", "moderate", "high", "critical"];
const rank = (risk: Risk): number => ORDER.indexOf(risk);

/** What a line prints when run by bash in `dir` (printf only: nothing else runs). */
const output = (line: string): string =>
  spawnSync("bash", ["-c", line], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "" } }).stdout;

describe("file names put into a shell's -c code behind a wrapper", () => {
  it("are run as code behind env, nice and timeout too", () => {
    writeFileSync(path.join(dir, "a;printf INJECTED.txt"), "");
    for (const wrapper of ["env", "nice", "timeout 5", "env -i PATH=$PATH"]) {
      expect(output(`find . -name "*.txt" -exec ${wrapper} sh -c "printf '[%s]' {}" \\;`), wrapper).toBe("[./a]INJECTED.txt");
      expect(output(`find . -name "*.txt" | xargs -I{} ${wrapper} sh -c "printf '[%s]' {}"`), wrapper).toBe("[./a]INJECTED.txt");
    }
  });

  it.each<[string, string]>([
    [`find . -name "*.txt" -exec sudo sh -c "wc -l {}" \\;`, `find . -name "*.txt" -exec sh -c "wc -l {}" \\;`],
    [`find . -exec env sh -c "wc -l {}" \\;`, `find . -exec sh -c "wc -l {}" \\;`],
    [`find . -exec env FOO=1 sh -c "wc -l {}" \\;`, `find . -exec sh -c "wc -l {}" \\;`],
    [`find . -exec nice sh -c "cat {}" \\;`, `find . -exec sh -c "cat {}" \\;`],
    [`find . -exec nice -n 5 bash -c "cat {}" \\;`, `find . -exec bash -c "cat {}" \\;`],
    [`find . -exec nohup sh -c "cat {}" \\;`, `find . -exec sh -c "cat {}" \\;`],
    [`find . -exec timeout 5 sh -c "cat {}" \\;`, `find . -exec sh -c "cat {}" \\;`],
    [`find . -exec sudo -u bob env nice sh -c "cat {}" \\;`, `find . -exec sh -c "cat {}" \\;`],
    [`find . -name "*.txt" | xargs -I{} sudo sh -c "wc -l {}"`, `find . -name "*.txt" | xargs -I{} sh -c "wc -l {}"`],
    [`find . -name "*.txt" | xargs -I{} env sh -c "wc -l {}"`, `find . -name "*.txt" | xargs -I{} sh -c "wc -l {}"`],
    [`find . -name "*.txt" | xargs -I{} nice sh -c "cat {}"`, `find . -name "*.txt" | xargs -I{} sh -c "cat {}"`],
    [`find . -name "*.txt" | xargs -I{} timeout 5 sh -c "cat {}"`, `find . -name "*.txt" | xargs -I{} sh -c "cat {}"`],
    [`fd -e txt -x env sh -c "wc -l {}"`, `fd -e txt -x sh -c "wc -l {}"`],
    [`fd -e txt -x sudo sh -c "wc -l {}"`, `fd -e txt -x sh -c "wc -l {}"`],
  ])("%s rates at least as %s", (line, twin) => {
    const r = rated(line);
    const t = rated(twin);
    expect(t.risk, t.shown).toBe("high");
    expect(rank(r.risk), r.shown).toBeGreaterThanOrEqual(rank(t.risk));
    expect(r.details.join("\n"), r.shown).toMatch(/-c runs a command line only known at run time/);
  });

  it("what the wrapped code does with the files still counts", () => {
    expect(rated(`find ~ -exec env sh -c "rm -rf {}" \\;`).risk).toBe("critical");
    expect(rated(`find ~ | xargs -I{} nice sh -c "rm -rf {}"`).risk).toBe("critical");
  });

  it("names handed over as arguments stay data, as without the wrapper", () => {
    for (const [line, twin] of [
      [`find . -exec sudo sh -c 'wc -l "$1"' _ {} \\;`, `find . -exec sudo wc -l {} \\;`],
      [`find . -exec env sh -c 'wc -l "$1"' _ {} \\;`, `find . -exec sh -c 'wc -l "$1"' _ {} \\;`],
      [`find . -name "*.txt" | xargs -I{} nice sh -c 'wc -l "$1"' _ {}`, `find . -name "*.txt" | xargs -I{} sh -c 'wc -l "$1"' _ {}`],
      [`find . -exec env wc -l {} \\;`, `find . -exec wc -l {} \\;`],
    ] as const) {
      const r = rated(line);
      expect(r.risk, r.shown).toBe(rated(twin).risk);
      expect(r.details.join("\n"), r.shown).not.toMatch(/only known at run time/);
    }
  });
});
