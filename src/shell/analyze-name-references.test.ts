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
