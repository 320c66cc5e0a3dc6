import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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

/**
 * `command -v` and `-V` only say what a name is, and only as command's own options, before the
 * command it runs: in `command rm -v -rf /` the -v is rm's (verbose), and rm runs. Each line runs in
 * bash with an `rm` first on PATH that only shows what it is given.
 */
describe("options of the command that command runs are not command's own", () => {
  const bin = mkdtempSync(path.join(os.tmpdir(), "wren-builtin-prefix-"));
  writeFileSync(path.join(bin, "rm"), "#!/bin/sh\nprintf '<%s>' \"$@\"\n", { mode: 0o755 });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const bashRuns = (line: string): string => execFileSync("bash", ["-c", line], { encoding: "utf8", env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: "/home/ada" } });

  it.each<[string, string]>([
    ["command rm -v -rf /", "<-v><-rf></>"],
    ["command rm -rf / -v", "<-rf></><-v>"],
    ["command -- rm -v -rf /", "<-v><-rf></>"],
  ])("%j runs rm with %s and is critical", (line, given) => {
    expect(bashRuns(line)).toBe(given);
    const r = rated(line);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  // `-p` searches a default PATH, past the rm that only shows its words: rated only.
  it("command -p rm -V -rf / runs rm and is critical", () => {
    const r = rated("command -p rm -V -rf /");
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<string>(["command -v rm -rf /", "command -pv rm -rf /", "command -p -V rm -rf /"])("%j only says what rm is and is safe", (line) => {
    expect(bashRuns(line)).not.toContain("<");
    const r = rated(line);
    expect(r.risk, r.shown).toBe("safe");
  });
});
