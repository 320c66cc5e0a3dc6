import { describe, expect, it } from "vitest";
import type { Risk, ShellKind } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * HOME, PWD and other variables that text the shell runs itself (`eval`) reads, and HOME a fish child
 * is given. An assignment in front of `eval` holds while its text runs (bash 5.2, dash, zsh 5.9 and
 * fish 3.6: `HOME=/tmp/x eval 'echo ~ $HOME'` prints /tmp/x twice); afterwards bash, zsh and fish put
 * the old value back, while sh (dash, bash --posix) keeps the new one, as POSIX says for a special
 * builtin. Text eval runs after the line set HOME reads `~` and `$HOME` as set, as the line's own
 * words do (`HOME=/; rm -rf ~`). fish reads `~` from HOME (`set HOME /tmp/x; echo ~` prints /tmp/x),
 * and so does a fish child (`HOME=/tmp/x fish -c 'echo ~'`). Each row gives the shell (bash unless
 * told), the risk and a part of a reason the line must have.
 */
const rated = shellRater();

describe("variables that eval's text and a fish child read", () => {
  it.each<[string, Risk, string, ShellKind?]>([
    // An assignment in front of eval holds while its text runs.
    ["HOME=/ eval 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ eval 'rm -rf $HOME'", "critical", "deletes / recursively"],
    ["HOME=/ eval \"rm -rf \\$HOME\"", "critical", "deletes / recursively"],
    ["HOME=/tmp/x eval 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively"],
    ["HOME=/ eval 'rm -rf ~'", "critical", "deletes / recursively", "sh"],
    ["HOME=/ eval 'rm -rf ~'", "critical", "deletes / recursively", "zsh"],
    ["HOME=/ eval 'rm -rf ~'", "critical", "deletes / recursively", "fish"],
    ["HOME=/ eval 'rm -rf $HOME'", "critical", "deletes / recursively", "fish"],
    ["PWD=/ eval 'rm -rf $PWD'", "critical", "deletes / recursively"],
    ["PWD=/ eval 'rm -rf ~+'", "critical", "deletes / recursively"],
    ["x=/ eval 'rm -rf $x'", "critical", "deletes / recursively"],
    ["x=/tmp y=$x/z eval 'rm -rf $y'", "moderate", "deletes /tmp/z recursively"],
    // The outer shell expands the eval's own words before the assignment applies.
    ["HOME=/ eval \"rm -rf $HOME\"", "critical", "deletes /home/ada recursively"],
    // Unset there or only known at run time: `~` stays the user's home.
    ["HOME=/ eval 'unset HOME; rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["HOME=$1 eval 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    // Afterwards bash, zsh and fish put the old value back; sh keeps the new one.
    ["x=/tmp/y; x=/ eval true; rm -rf $x", "moderate", "deletes /tmp/y recursively"],
    ["x=/tmp/y; x=/ eval 'x=/tmp/z'; rm -rf $x", "moderate", "deletes /tmp/y recursively"],
    ["x=/tmp/y; x=/ eval true; rm -rf $x", "moderate", "deletes /tmp/y recursively", "zsh"],
    ["set x /tmp/y; x=/ eval true; rm -rf $x", "moderate", "deletes /tmp/y recursively", "fish"],
    ["x=/tmp/y; x=/ eval true; rm -rf $x", "critical", "deletes / recursively", "sh"],
    ["x=/tmp/y; x=/ eval 'x=/tmp/z'; rm -rf $x", "moderate", "deletes /tmp/z recursively", "sh"],
    ["PWD=/ eval true; rm -rf $PWD", "high", "deletes /home/ada/code/app recursively"],
    // eval's text after the line set HOME reads it as set, as the line's own words do.
    ["HOME=/; rm -rf ~", "critical", "deletes / recursively"],
    ["HOME=/; eval 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/; eval 'rm -rf $HOME'", "critical", "deletes / recursively"],
    ["export HOME=/; eval 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/tmp/x; eval 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively"],
    ["HOME=/tmp/x && eval 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively"],
    ["HOME=/; eval 'rm -rf ~'", "critical", "deletes / recursively", "zsh"],
    ["set HOME /; eval 'rm -rf ~'", "critical", "deletes / recursively", "fish"],
    ["HOME=/; unset HOME; eval 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["HOME=$1; eval 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    // A fish child's `~` and `$HOME` are the HOME the line gave it.
    ["HOME=/ fish -c 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ fish -c 'rm -rf $HOME'", "critical", "deletes / recursively"],
    // fish, as bash, writes `~/` with HOME=/ as `//` (`HOME=/ fish -c 'echo ~/'`).
    ["env HOME=/ fish -c 'rm -rf ~/'", "critical", "deletes // recursively"],
    ["HOME=/tmp/x fish -c 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively"],
    ["HOME=/ fish -c 'rm -rf ~'", "critical", "deletes / recursively", "fish"],
    ["HOME=/ fish -c 'rm -rf $HOME'", "critical", "deletes / recursively", "fish"],
    ["set -x HOME /tmp/x; fish -c 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively", "fish"],
    ["HOME=/ fish -c 'set HOME /tmp/y; rm -rf ~'", "moderate", "deletes /tmp/y recursively"],
    // fish sets a HOME it lacks, or is given empty, to the user's home.
    ["env -i fish -c 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["HOME= fish -c 'rm -rf $HOME'", "critical", "deletes /home/ada recursively"],
    ["HOME=$1 fish -c 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    // In a container: the HOME `-e` gives it, and root's where `env -i` took it away.
    ["docker run -v $HOME:/h -e HOME=/h alpine fish -c 'rm -rf ~'", "critical", "deletes /h recursively"],
    ["docker run -v $HOME:/root alpine env -i fish -c 'rm -rf ~'", "critical", "deletes /root recursively"],
  ])("%j is %s (%s)", (command, risk, reason, shell) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});
