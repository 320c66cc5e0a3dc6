import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import { RISKS, type Risk } from "./types.js";

/**
 * An assignment before a command (`z=${y:-/} sh -c 'rm -rf $z'`) hands the command a value with
 * the same readings a plain assignment keeps: y's value, or `/` when y is unset. Each line runs in
 * bash, with `printf '<%s>'` for `rm -rf`, with y unset and set to a value wren cannot know; wren
 * must rate it as the worst of `rm -rf` of what bash gives in each run and of a path only known at
 * run time (high).
 */
const rated = shellRater();

// An `rm` that only shows what it is given, first on PATH, so that child shells run it too.
const bin = mkdtempSync(path.join(os.tmpdir(), "wren-prefix-readings-"));
writeFileSync(path.join(bin, "rm"), "#!/bin/sh\nshift\nprintf '<%s>' \"$@\"\n", { mode: 0o755 });
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const env = { PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: "/home/ada" };
const bashSays = (line: string, extra: Record<string, string> = {}): string =>
  execFileSync("bash", ["-c", line], { encoding: "utf8", env: { ...env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
const argsOf = (said: string): string[] => [...said.matchAll(/<([^>]*)>/g)].map((m) => m[1] ?? "");
const worst = (...risks: Risk[]): Risk => RISKS[Math.max(...risks.map((r) => RISKS.indexOf(r)))] ?? "critical";

describe("a value with several readings assigned before a command reaches it with them", () => {
  it.each<[string, string, string, Risk]>([
    ["z=${y:-/} sh -c 'rm -rf $z'", "</>", "</srv/data>", "critical"],
    [`z=\${y:-/} bash -c 'rm -rf "$z"'`, "</>", "</srv/data>", "critical"],
    ["z=${y-/} sh -c 'rm -rf $z'", "</>", "</srv/data>", "critical"],
    ["z=${y:-/tmp} sh -c 'rm -rf ${z%tmp}'", "</>", "</srv/data>", "critical"],
    ["z=${y:-/tmp/a/b} sh -c 'rm -rf ${z##*/}'", "<b>", "<data>", "high"],
    // A copy of a value with readings, made on this line or before it.
    ["x=${y:-/}; z=$x sh -c 'rm -rf $z'", "</>", "</srv/data>", "critical"],
    ["x=${y:-/tmp}; z=${x%tmp} sh -c 'rm -rf $z'", "</>", "</srv/data>", "critical"],
    ["x=${y:-/} z=$x sh -c 'rm -rf $z'", "</>", "</srv/data>", "critical"],
    ["z=${y:-/} w=$z sh -c 'rm -rf $w'", "</>", "</srv/data>", "critical"],
    // The prefix's value, not the line's earlier one, is what the child sees.
    ["z=/tmp/a; z=${y:-/} sh -c 'rm -rf $z'", "</>", "</srv/data>", "critical"],
  ])("%j runs rm -rf %s with y unset, %s with y set, and is %s", (command, unset, set, risk) => {
    expect(bashSays(command)).toBe(unset);
    expect(bashSays(command, { y: "/srv/data" })).toBe(set);
    const literal = (said: string): Risk => rated(["rm -rf", ...argsOf(said).map((a) => `'${a}'`)].join(" ")).risk;
    const r = rated(command);
    expect(r.risk, r.shown).toBe(worst("high", literal(unset), literal(set)));
    expect(r.risk, r.shown).toBe(risk);
  });

  it("a reading that only holds in the prefix leaves the line's own value alone", () => {
    const command = "z=/tmp/a; z=${y:-/} true; rm -rf $z";
    expect(bashSays(command)).toBe("</tmp/a>");
    const r = rated(command);
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });
});
