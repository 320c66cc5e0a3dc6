import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * bash reads options written with `+` only for declare, typeset and local: to export, readonly and
 * unset `+p` is a name it refuses, and the options end there (`export +p -n x` exports x; `-n` is
 * another name refused). Each line runs in bash with `printf '<%s>'` for `rm -rf`, to show what it
 * would delete, and is rated the same with `builtin` before the declaration.
 */
const rated = shellRater();

const bashSays = (line: string): string =>
  execFileSync("bash", ["-c", line.replaceAll("rm -rf", "printf '<%s>'")], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" }, stdio: ["ignore", "pipe", "ignore"] });

describe("export, readonly and unset take no + options", () => {
  it.each<[string, Risk, string]>([
    // x is unset: `-f` after `+f` is no option.
    ["x=/tmp/a; unset +f -f x; rm -rf /$x", "critical", "/"],
    // x stays exported: `-n` after `+p` is no option.
    ["x=/; export +p -n x; sh -c \"rm -rf \\$x\"", "critical", "/"],
    ["x=/tmp/a; export +p -n x; rm -rf $x", "moderate", "/tmp/a"],
    ["x=/; export +p x=build; rm -rf $x", "moderate", "build"],
    ["x=/; readonly +p x=build; rm -rf $x", "moderate", "build"],
    ["export +n x=/; sh -c \"rm -rf \\$x\"", "critical", "/"],
  ])("%j is %s, as bash deletes %s", (command, risk, path) => {
    expect(bashSays(command)).toBe(`<${path}>`);
    for (const line of [command, command.replace(/(export|readonly|unset) \+/, "builtin $1 +")]) {
      const r = rated(line);
      expect(r.risk, r.shown).toBe(risk);
      expect(r.details, r.shown).toEqual([`deletes ${path} recursively`]);
    }
  });

  it("declare still reads +p as an option (it only prints)", () => {
    expect(bashSays("x=/; declare +p x=build; rm -rf $x")).toBe("</>");
    const r = rated("x=/; declare +p x=build; rm -rf $x");
    expect(r.risk, r.shown).toBe("critical");
  });
});
