import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `truncate -s SIZE FILE…` (`--size`, `-r`/`--reference RFILE`): the size and the reference file
 * are option values, not files truncated; the reason names the files that are.
 */
const rated = shellRater();

describe("truncate's files, not its option values", () => {
  it.each<[string, Risk, string?]>([
    ["truncate -s 0 logs/app.log", "moderate", "truncates logs/app.log"],
    ["truncate -c -s 0 a.log", "moderate", "truncates a.log"],
    ["truncate --size 0 logs/app.log", "moderate", "truncates logs/app.log"],
    ["truncate -s0 logs/app.log", "moderate", "truncates logs/app.log"],
    ["truncate --size=0 /etc/passwd", "critical", "truncates /etc/passwd"],
    ["truncate -s 0 /etc/passwd", "critical", "truncates /etc/passwd"],
    ["truncate -r /etc/passwd notes.txt", "moderate", "truncates notes.txt"],
    ["truncate --reference /etc/passwd notes.txt", "moderate", "truncates notes.txt"],
    ["truncate -s 0 ~/.bashrc", "high", "truncates /home/ada/.bashrc"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
