import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * The stages of a pipeline before the last are started before the last runs: they see the values
 * from before the pipeline, even where the last stage runs in the line's own shell (`shopt -s
 * lastpipe`) and what it assigns holds after the pipeline. Each line runs in bash both ways, with
 * `printf '<%s>' >&2` for `rm -rf`, to show every path it would delete.
 */
const rated = shellRater();

const bashSays = (line: string, lastpipe: boolean): string[] => {
  // What the first stage prints goes to standard error, which is bash's output, not into the pipe.
  const script = `exec 2>&1; ${lastpipe ? "shopt -s lastpipe; " : ""}${line.replaceAll("rm -rf", "printf '<%s>' >&2")}`;
  // No stdin: bash given a socket for stdin (Node's pipes) and no SHLVL reads ~/.bashrc as for a remote shell.
  return execFileSync("bash", ["-c", script], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" }, stdio: ["ignore", "pipe", "pipe"] }).match(/<[^>]*>/g) ?? [];
};

describe("earlier stages of a pipeline see the values from before it", () => {
  it.each<[string, Risk, string[]]>([
    ["x=/tmp/a; rm -rf $x | x=/", "moderate", ["/tmp/a"]],
    ["x=/tmp/a; rm -rf $x | { x=/; }", "moderate", ["/tmp/a"]],
    ["x=/tmp/a; rm -rf $x | cat | x=/", "moderate", ["/tmp/a"]],
    ["x=/; rm -rf $x | x=/tmp/a", "critical", ["/"]],
    // After the pipeline the last stage's value holds under lastpipe: both are judged.
    ["x=/tmp/a; rm -rf $x | x=/; rm -rf $x", "critical", ["/tmp/a", "/"]],
  ])("%j is %s, deleting %j", (command, risk, paths) => {
    const said = new Set([...bashSays(command, false), ...bashSays(command, true)]);
    expect([...said].sort()).toEqual(paths.map((p) => `<${p}>`).sort());
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    expect([...r.details].sort(), r.shown).toEqual(paths.map((p) => `deletes ${p} recursively`).sort());
  });
});
