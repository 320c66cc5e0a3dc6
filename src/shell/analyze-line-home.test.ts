import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * `HOME=…` as one of the line's own statements changes what its later `$HOME` and `~` are; one that
 * may not run, or runs elsewhere (a subshell, a function, one command's environment), does not.
 */
const rated = shellRater();

describe("HOME set earlier on the line", () => {
  it.each<[string, Risk, string]>([
    ["HOME=/tmp/x; rm -rf $HOME", "moderate", "deletes /tmp/x recursively"],
    ["HOME=/tmp/x; rm -rf ~", "moderate", "deletes /tmp/x recursively"],
    ["HOME=/tmp/x && rm -rf ~/cache", "moderate", "deletes /tmp/x/cache recursively"],
    ["export HOME=/tmp/x; rm -rf \"$HOME\"", "moderate", "deletes /tmp/x recursively"],
    ["HOME=/tmp/x; rm -rf \"${HOME:-/}\"", "moderate", "deletes /tmp/x recursively"],
    ["HOME=/tmp/x; sh -c 'rm -rf $HOME'", "moderate", "deletes /tmp/x recursively"],
    // A child shell's ~ is its HOME (zsh 5.9: `HOME=/tmp/x zsh -c 'echo ~'` prints /tmp/x).
    ["HOME=/tmp/x; zsh -c 'rm -rf ~'", "moderate", "deletes /tmp/x recursively"],
    // An empty HOME makes `~/` `/`.
    ["HOME=/; rm -rf ~", "critical", "deletes / recursively"],
    ["HOME=; rm -rf ~/", "critical", "deletes / recursively"],
    ["HOME=$1; rm -rf $HOME", "high", "deletes a path only known at run time recursively"],
  ])("%j is %s", (command, risk, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details, r.shown).toContain(detail);
  });

  it.each<string>([
    // The assignment may not run, runs in a subshell or function, or only for one command.
    "true || HOME=/tmp/x; rm -rf $HOME",
    "if true; then HOME=/tmp/x; fi; rm -rf ~",
    "(HOME=/tmp/x); rm -rf $HOME",
    "f() { HOME=/tmp/x; }; rm -rf ~",
    "HOME=/tmp/x rm -rf $HOME",
    // Before the assignment, HOME is still the user's.
    "rm -rf $HOME; HOME=/tmp/x",
    // ~root is root's home, not HOME.
    "HOME=/tmp/x; rm -rf ~root",
    // Unset, bash's ~ is the home in the password database; eval and source may set HOME again.
    "HOME=/tmp/x; unset HOME; rm -rf ~",
    "HOME=/tmp/x; if true; then unset HOME; fi; rm -rf ~/",
    "HOME=/tmp/x; . ./env.sh; rm -rf $HOME",
    "HOME=/tmp/x; eval \"$1\"; rm -rf ~",
  ])("%j stays critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });
});
