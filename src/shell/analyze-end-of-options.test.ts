import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * After `--` a command's words are its operands, even where they start with `-`, as getopt reads
 * them. Each line runs in bash in a folder holding files of those names, to show what it deletes.
 */
const rated = shellRater();

const NAMES = ["-x", "--", "-rf", "keep"];

/** The names of NAMES that the line deletes when bash runs it in a folder holding them all. */
const bashDeletes = (line: string): string[] => {
  const dir = mkdtempSync(join(tmpdir(), "wren-end-of-options-"));
  try {
    for (const name of NAMES) writeFileSync(join(dir, name), "");
    mkdirSync(join(dir, "keep.d"));
    // No stdin: bash given a socket for stdin (Node's pipes) and no SHLVL reads ~/.bashrc as for a remote shell.
    execFileSync("bash", ["-c", line], { cwd: dir, env: { PATH: process.env["PATH"] ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
    const left = readdirSync(dir);
    return NAMES.filter((n) => !left.includes(n));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe("words after -- are operands", () => {
  it.each<[string, Risk, string[]]>([
    ["rm -rf -- -x", "moderate", ["deletes -x recursively"]],
    ["rm -- -x", "moderate", ["deletes -x"]],
    ["rm -rf -- --", "moderate", ["deletes -- recursively"]],
    ["rm -r -- -rf", "moderate", ["deletes -rf recursively"]],
    ['rm -rf -- "$(echo -x)"', "moderate", ["deletes -x recursively"]],
  ])("%j is %s: %j", (line, risk, details) => {
    expect(bashDeletes(line).sort()).toEqual(details.map((d) => d.replace(/^deletes (\S+).*$/, "$1")).sort());
    const r = rated(line);
    expect(r.risk, r.shown).toBe(risk);
    expect([...r.details].sort(), r.shown).toEqual([...details].sort());
    // A child process per case: slow on a busy machine.
  }, 20_000);
});

/**
 * An option after `--` is an operand too: `rm -- -rf keep.d` deletes the file -rf and, without -r,
 * leaves the folder keep.d (rm refuses it), so `rm -- -r /` is `rm` of a file -r and of `/`, not a
 * recursive delete, and is rated as `rm /` is.
 */
describe("options after -- do not apply", () => {
  it("bash's rm -- -rf keep.d deletes the file -rf and refuses the folder keep.d", () => {
    const dir = mkdtempSync(join(tmpdir(), "wren-end-of-options-"));
    try {
      writeFileSync(join(dir, "-rf"), "");
      mkdirSync(join(dir, "keep.d"));
      const run = spawnSync("bash", ["-c", "rm -- -rf keep.d"], { cwd: dir, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("keep.d");
      expect(readdirSync(dir)).toEqual(["keep.d"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, string]>([
    ["rm -- -rf keep.d", "rm -- -x keep.d"],
    ["rm -- -r /", "rm /"],
    ["rm -- --recursive /", "rm /"],
    ["rm -- -R ~", "rm ~"],
    ["rm -f -- -r /etc/passwd", "rm -f /etc/passwd"],
  ])("%j is rated as %j, deleting nothing recursively", (line, plain) => {
    const r = rated(line);
    const p = rated(plain);
    expect(r.risk, r.shown).toBe(p.risk);
    expect(r.details.filter((d) => / recursively$/.test(d)), r.shown).toEqual([]);
  });

  it("an option before -- still applies", () => {
    const r = rated("rm -r -- /");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });
});
