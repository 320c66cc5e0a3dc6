import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * `env z=${y:-/} sh -c 'rm -rf $z'` hands sh a z that is y's value, or `/` when y is unset, as
 * `z=${y:-/} sh -c …` does: env's assignments keep a value's several readings. Each line runs in
 * bash with `printf '<%s>'` for `rm -rf`, with y unset and set.
 */
const rated = shellRater();

const bin = mkdtempSync(path.join(os.tmpdir(), "wren-env-readings-"));
writeFileSync(path.join(bin, "rm"), "#!/bin/sh\nshift\nprintf '<%s>' \"$@\"\n", { mode: 0o755 });
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const env = { PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: "/home/ada" };
const bashSays = (line: string, extra: Record<string, string> = {}): string =>
  execFileSync("bash", ["-c", line], { encoding: "utf8", env: { ...env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });

describe("env's assignments keep a value's several readings", () => {
  it.each<string>(["env z=${y:-/} sh -c 'rm -rf $z'", "env -u w z=${y:-/} sh -c 'rm -rf $z'", "env z=${y-/} sh -c 'rm -rf $z'", "x=${y:-/}; env z=$x sh -c 'rm -rf $z'"])(
    "%s deletes / when y is unset, for that reason",
    (command) => {
      expect(bashSays(command)).toBe("</>");
      expect(bashSays(command, { y: "/srv/data" })).toBe("</srv/data>");
      const r = rated(command);
      expect(r.risk, r.shown).toBe("critical");
      expect(r.details, r.shown).toContain("deletes / recursively");
      expect(r.details, r.shown).not.toContain("the command name is only known at run time, so wren cannot tell what would run");
    },
  );

  it("env z=${y:-/tmp/x} is rated as rm -rf /tmp/x and of y's value", () => {
    const command = "env z=${y:-/tmp/x} sh -c 'rm -rf $z'";
    expect(bashSays(command)).toBe("</tmp/x>");
    const r = rated(command);
    const prefix = rated("z=${y:-/tmp/x} sh -c 'rm -rf $z'");
    expect(r.risk, r.shown).toBe(prefix.risk);
    expect(r.details, r.shown).toEqual(prefix.details);
    expect(r.details, r.shown).toContain("deletes /tmp/x recursively");
    expect(r.details, r.shown).not.toContain("the command name is only known at run time, so wren cannot tell what would run");
  });
});
