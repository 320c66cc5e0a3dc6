import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * `builtin` and `command` run a shell builtin as it is (`builtin unset x` is `unset x`), as does
 * `\unset x`; the grammar reads only the plain forms as declarations. Each line is rated as it is
 * without the prefix.
 */
const rated = shellRater();

describe("builtins run through builtin or command", () => {
  it.each<string>([
    // eval and source text runs in the line's own shell.
    "builtin eval 'cd /'; rm -rf *",
    "command eval 'cd /'; rm -rf *",
    'builtin eval "x=/"; rm -rf $x',
    "x=/tmp/x; command -p eval x=/; rm -rf $x",
    "builtin source <(echo 'cd /'); rm -rf *",
    "command . <(echo x=/); rm -rf $x",
    // After an unset, x is empty and "$x/" is /.
    'x=/tmp/safe; unset x; rm -rf "$x/"',
    'x=/tmp/safe; builtin unset x; rm -rf "$x/"',
    'x=/tmp/safe; command unset x; rm -rf "$x/"',
    'x=/tmp/safe; builtin unset -v x; rm -rf "$x/"',
    'x=/tmp/safe; command builtin unset y x; rm -rf "$x/"',
    'x=/tmp/safe; \\unset x; rm -rf "$x/"',
    // What they assign holds afterwards.
    "x=/tmp/x; builtin declare x=/; rm -rf $x",
    "x=/tmp/x; command export x=/; rm -rf $x",
    "builtin export x=/; sh -c 'rm -rf $x'",
    "x=/; command export x; bash -c 'rm -rf $x'",
    'x=/tmp/x; builtin readonly x="/"; rm -rf "$x"',
  ])("%j deletes / and is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[string, Risk]>([
    // A name only known at run time may be any variable.
    ['x=/tmp/x; builtin unset "$n"; rm -rf "$x/"', "high"],
    ['x=/tmp/x; command declare "$n=/"; rm -rf $x', "high"],
    // `unset -f` removes a function, `declare -p` only prints: x keeps its value.
    ['x=/tmp/safe; builtin unset -f x; rm -rf "$x/"', "moderate"],
    ["x=/tmp/x; builtin declare -p x; rm -rf $x", "moderate"],
    ["x=/; builtin declare x=/tmp/x; rm -rf $x", "moderate"],
    // A value the attribute changes (`-i` works out arithmetic) is not taken as written.
    ["x=/tmp/x; builtin declare -i x=1; rm -rf $x", "high"],
    // `command -v unset` only says what unset is.
    ['x=/tmp/safe; command -v unset x; rm -rf "$x/"', "moderate"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });

  // The plain forms read their options as the prefixed ones do (one reading for both).
  it.each<[string, Risk]>([
    // `unset -f` removes a function, `declare -p` and `typeset -f` only print: x stays /.
    ["x=/; unset -f x; rm -rf $x", "critical"],
    ["x=/; declare -p x=build; rm -rf $x", "critical"],
    ["x=/; typeset -f x=build; rm -rf $x", "critical"],
    ["declare -p HOME=/tmp/x; rm -rf ~", "critical"],
    // `+p` prints as `-p` does (bash's declare reads options written with + too): x stays /.
    ["x=/; declare +p x=build; rm -rf $x", "critical"],
    ["x=/; declare -x +p x=build; rm -rf $x", "critical"],
    // An attribute that changes the value leaves it unknown (`declare -n`: analyze-name-references.test.ts).
    ["x=/tmp/x; declare -i x=1; rm -rf $x", "high"],
    ["x=/; export -n x=build; rm -rf $x", "moderate"],
  ])("%j is %s, with builtin before the declaration too", (command, risk) => {
    for (const line of [command, command.replace(/(declare|typeset|export|unset) ([-+])/, "builtin $1 $2")]) {
      const r = rated(line);
      expect(r.risk, r.shown).toBe(risk);
    }
  });

  it("unsetting HISTFILE through builtin turns history off", () => {
    const r = rated("builtin unset HISTFILE");
    expect(r.details.join("\n"), r.shown).toMatch(/histor/i);
  });
});
