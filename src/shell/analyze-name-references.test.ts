import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * `declare -n x=HOME` (`typeset -n`, `local -n`) makes x a name reference: `$x` is HOME's value, now
 * and after HOME changes, so `rm -rf $x` deletes the home.
 */
const rated = shellRater();

describe("declare -n: a name reference reads the variable it names", () => {
  it.each<[string, Risk, string?]>([
    ["declare -n x=HOME; rm -rf $x", "critical", "deletes /home/ada recursively"],
    ["typeset -n x=HOME; rm -rf \"$x\"", "critical", "deletes /home/ada recursively"],
    ["local -n x=HOME; rm -rf ${x}/", "critical"],
    ["declare -n x=PWD && rm -rf $x", "high", "deletes /home/ada/code/app recursively"],
    // The variable's value when x is read, not when the reference was made.
    ["declare -n x=y; y=/; rm -rf $x", "critical", "deletes / recursively"],
    ["y=/tmp/a; declare -n x=y; y=/; rm -rf $x", "critical", "deletes / recursively"],
    ["declare -n x=y; y=/tmp/a; rm -rf $x", "moderate", "deletes /tmp/a recursively"],
    // A reference to a reference.
    ["declare -n a=HOME; declare -n b=a; rm -rf $b", "critical"],
    // A declaration that may not run: x is its own value or HOME's, and both are judged.
    ["x=/tmp/a; true || declare -n x=HOME; rm -rf $x", "critical"],
    ["f() { local -n x=HOME; }; rm -rf $x", "critical"],
    // Writes through the reference go to HOME: unknown, never the home's value kept.
    ["declare -n x=HOME; x=/tmp/a; rm -rf ~", "high"],
    ["declare -n x=y; y=/tmp/a; x=/; rm -rf $y", "high"],
    // `unset x` unsets the variable x names.
    ["y=/tmp/a; declare -n x=y; unset x; rm -rf /$y", "critical"],
  ])("%j is %s", (command, risk, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    if (detail) expect(r.details, r.shown).toContain(detail);
  });

  it.each<[string, Risk]>([
    // Not a reference: -n as export's option, or a value that is no plain name.
    ["x=/tmp/a; export -n x; rm -rf $x", "moderate"],
    ["declare -n x=$1; rm -rf $x", "high"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });
});

/**
 * `builtin declare -n`, `command typeset -n`, `\declare -n`: the grammar reads an ordinary command
 * there, and the reference it makes is followed as the plain form's is. What bash says each `rm -rf`
 * would be given (the line run with `printf '<%s>'` in its place, HOME set) is checked too.
 */
describe("declare -n through builtin, command or a backslash, or with a quoted name", () => {
  const bashSays = (line: string): string =>
    execFileSync("bash", ["-c", line.replace("rm -rf", "printf '<%s>'")], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } });

  it.each<[string, Risk, string]>([
    ["builtin declare -n x=HOME; rm -rf $x", "critical", "/home/ada"],
    ["command declare -n x=HOME; rm -rf $x", "critical", "/home/ada"],
    ["command -p typeset -n x=HOME; rm -rf \"$x\"", "critical", "/home/ada"],
    ["\\declare -n x=HOME; rm -rf $x", "critical", "/home/ada"],
    ["command builtin declare -n x=y; y=/; rm -rf $x", "critical", "/"],
    ["builtin declare -n a=HOME; builtin declare -n b=a; rm -rf $b", "critical", "/home/ada"],
    // A name assigned or unset through builtin stands for the variable the reference names.
    ["y=/tmp/a; declare -n x=y; builtin unset x; rm -rf /$y", "critical", "/"],
    ["y=/tmp/a; declare -n x=y; builtin declare x=/; rm -rf $y", "critical", "/"],
    ["declare -n x=HOME; command export x=/tmp/a; rm -rf ~", "moderate", "/tmp/a"],
    // A quoted name is the name once the quotes are removed.
    ["declare -n x=\"HOME\"; rm -rf $x", "critical", "/home/ada"],
    ["typeset -n x='HOME'; rm -rf $x", "critical", "/home/ada"],
    ["builtin declare -n x=\"HOME\"; rm -rf $x", "critical", "/home/ada"],
  ])("%j is %s, as bash deletes %s", (command, risk, path) => {
    expect(bashSays(command)).toBe(`<${path}>`);
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details, r.shown).toContain(`deletes ${path} recursively`);
  });

  it("command -v declare makes no reference", () => {
    const r = rated("command -v declare -n x=HOME; rm -rf $x");
    expect(r.risk, r.shown).toBe("high");
  });
});
