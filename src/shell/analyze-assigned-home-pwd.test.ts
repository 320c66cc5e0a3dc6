import { describe, expect, it } from "vitest";
import type { Risk, ShellKind } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * HOME and PWD that the line assigns. A child shell expands `~` from its own HOME (`HOME=/tmp/x bash -c
 * 'echo ~'` prints /tmp/x), so `HOME=/ sh -c 'rm -rf ~'` deletes /; where the child's HOME is unset
 * (`env -i`, `env -u HOME`: bash's `~` is then the user database's home), only known at run time, or
 * reset by sudo, its `~` stays the user's home, and so does a `~` the line's own shell expands before a
 * command's assignment applies (bash's `HOME=/ rm -rf ~`). `PWD=/` is a variable like any other in the
 * shell that runs it (`PWD=/; eval 'rm -rf $PWD'` deletes /), while bash, dash and zsh replace an
 * inherited PWD that names another directory than the one they start in, so `PWD=/ bash -c 'rm -rf
 * $PWD'` deletes the current folder. Each row gives the shell (bash unless told), the risk and a part
 * of a reason the line must have.
 */
const rated = shellRater();

describe("HOME and PWD the line assigns", () => {
  it.each<[string, Risk, string, ShellKind?]>([
    // A child shell's ~ is its HOME.
    ["HOME=/ sh -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ bash -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ dash -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ zsh -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["env HOME=/ sh -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["env -i HOME=/ sh -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["export HOME=/; sh -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ sh -c 'sh -c \"rm -rf ~\"'", "critical", "deletes / recursively"],
    // An empty HOME: `~/` is `/` in bash, dash and zsh.
    ["HOME= bash -c 'rm -rf ~/'", "critical", "deletes / recursively"],
    ["HOME=/tmp/x bash -c 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively"],
    ["HOME=/ sh -c 'rm -rf ~'", "critical", "deletes / recursively", "fish"],
    ["env HOME=/ sh -c 'rm -rf ~'", "critical", "deletes / recursively", "fish"],
    ["HOME=/tmp/x bash -c 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively", "fish"],
    // Unset (the user database's home), only known at run time, reset by sudo, or expanded by the outer bash first.
    ["env -i bash -c 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["env -u HOME bash -c 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["HOME=/ sh -c 'unset HOME; rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["HOME=$1 sh -c 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["HOME=/ sudo sh -c 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["HOME=/ rm -rf ~", "critical", "deletes /home/ada recursively"],
    ["HOME=/ sh -c 'HOME=/tmp/y; rm -rf ~'", "moderate", "deletes /tmp/y recursively"],
    // PWD assigned in the shell that reads it.
    ["PWD=/; eval 'rm -rf $PWD'", "critical", "deletes / recursively"],
    ["export PWD=/; eval 'rm -rf $PWD'", "critical", "deletes / recursively"],
    ["PWD=/; eval 'rm -rf ~+'", "critical", "deletes / recursively"],
    ["PWD=/; rm -rf $PWD", "critical", "deletes / recursively"],
    ["PWD=/tmp; rm -rf \"$PWD\"/*", "critical", "deletes /tmp/* recursively"],
    // A child bash replaces it; the outer shell expands `$PWD` before a command's own assignment.
    ["PWD=/ bash -c 'rm -rf $PWD'", "high", "deletes /home/ada/code/app recursively"],
    ["PWD=/; bash -c 'rm -rf $PWD'", "high", "deletes /home/ada/code/app recursively"],
    ["PWD=/ rm -rf $PWD", "high", "deletes /home/ada/code/app recursively"],
    ["PWD=/ bash -c 'rm -rf $PWD'", "high", "deletes /home/ada/code/app recursively", "fish"],
    // fish's PWD is read-only: `set PWD /` fails.
    ["set PWD /; eval 'rm -rf $PWD'", "high", "deletes /home/ada/code/app recursively", "fish"],
    // After a cd the shell sets PWD anew.
    ["PWD=/; cd /tmp && rm -rf $PWD", "critical", "deletes /tmp recursively"],
  ])("%j is %s (%s)", (command, risk, reason, shell) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});
