import { describe, expect, it } from "vitest";
import type { Risk, ShellKind } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * An assignment in front of `source` or `.` holds while the sourced text runs, as one in front of
 * `eval` does (bash 5.2, dash, zsh 5.9: `HOME=/tmp/y source /dev/stdin <<< 'echo ~ $HOME'` prints
 * /tmp/y twice, and `HOME=/tmp/y . ./s.sh` runs s.sh with it); afterwards bash and zsh put the old
 * value back, while sh (dash, `bash --posix`) keeps the new one, as POSIX says for a special builtin
 * (`HOME=/tmp/y eval true; echo ~` prints /tmp/y in dash, the old home in bash). A sourced script
 * after the line set HOME reads `~` as set, as eval's text does. Each row gives the line, the risk,
 * a part of a reason the line must have and the shell (bash unless told).
 */
const rated = shellRater();

describe("assignments around source, . and eval", () => {
  it.each<[string, Risk, string, ShellKind?]>([
    // An assignment in front of source holds while its text runs.
    ["HOME=/ source /dev/stdin <<< 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ . /dev/stdin <<< 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/ source /dev/stdin <<< 'rm -rf $HOME'", "critical", "deletes / recursively"],
    ["echo 'rm -rf ~' | HOME=/ source /dev/stdin", "critical", "deletes / recursively"],
    ["HOME=/ source <(echo 'rm -rf ~')", "critical", "deletes / recursively"],
    ["HOME=/tmp/x source /dev/stdin <<< 'rm -rf ~/.ssh'", "moderate", "deletes /tmp/x/.ssh recursively"],
    ["x=/ source /dev/stdin <<< 'rm -rf $x'", "critical", "deletes / recursively"],
    ["HOME=/ . /dev/stdin <<< 'rm -rf ~'", "critical", "deletes / recursively", "sh"],
    ["HOME=/ source /dev/stdin <<< 'rm -rf ~'", "critical", "deletes / recursively", "zsh"],
    // A script the line wrote, sourced with the assignment in front.
    ["echo 'rm -rf ~' > x.sh; HOME=/ . ./x.sh", "critical", "deletes / recursively"],
    ["echo 'rm -rf ~' > x.sh; HOME=/ source x.sh", "critical", "deletes / recursively"],
    ["echo 'rm -rf ~' > x.sh; HOME=/ . ./x.sh", "critical", "deletes / recursively", "sh"],
    // A sourced script after the line set HOME reads it as set.
    ["HOME=/; source /dev/stdin <<< 'rm -rf ~'", "critical", "deletes / recursively"],
    ["HOME=/; . /dev/stdin <<< 'rm -rf ~'", "critical", "deletes / recursively", "sh"],
    ["echo 'rm -rf ~' > x.sh; HOME=/; . ./x.sh", "critical", "deletes / recursively"],
    // The outer shell expands source's own words before the assignment applies.
    ["HOME=/ source /dev/stdin <<< \"rm -rf $HOME\"", "critical", "deletes /home/ada recursively"],
    // Unset there or only known at run time: `~` stays the user's home.
    ["HOME=$1 source /dev/stdin <<< 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    ["source /dev/stdin <<< 'rm -rf ~'", "critical", "deletes /home/ada recursively"],
    // sh keeps an assignment in front of eval afterwards; bash and zsh put the old value back.
    ["HOME=/ eval true; rm -rf ~", "critical", "deletes / recursively", "sh"],
    ["HOME=/ eval true; rm -rf $HOME", "critical", "deletes / recursively", "sh"],
    ["HOME=/ eval true; rm -rf ~/", "critical", "deletes // recursively", "sh"],
    ["HOME=/tmp/x eval true; rm -rf ~/.ssh", "moderate", "deletes /tmp/x/.ssh recursively", "sh"],
    ["HOME=/ eval 'HOME=/tmp/z'; rm -rf ~", "moderate", "deletes /tmp/z recursively", "sh"],
    ["HOME=/ eval true; rm -rf ~", "critical", "deletes /home/ada recursively"],
    ["HOME=/ eval true; rm -rf ~", "critical", "deletes /home/ada recursively", "zsh"],
    ["HOME=/tmp/x eval true; rm -rf ~/.ssh", "high", "deletes /home/ada/.ssh recursively"],
    // The eval's own words are expanded before the assignment: its `~` is the user's home.
    ["HOME=/tmp/x eval rm -rf ~", "critical", "deletes /home/ada recursively", "sh"],
    // A HOME the text unsets (bash --posix then reads `~` from the user database) or empties is the user's home.
    ["HOME=/ eval 'unset HOME'; rm -rf ~", "critical", "deletes /home/ada recursively", "sh"],
    ["HOME=/ eval 'un\"\"set HO\"\"ME'; rm -rf ~", "critical", "deletes /home/ada recursively", "sh"],
    ["HOME=/ eval 'HOME='; rm -rf ~", "critical", "deletes /home/ada recursively", "sh"],
    // Only a HOME that always holds: not in a pipeline's part or after `&&`'s failing half.
    ["HOME=/ eval true | cat; rm -rf ~", "critical", "deletes /home/ada recursively", "sh"],
    ["false && HOME=/ eval true; rm -rf ~", "critical", "deletes /home/ada recursively", "sh"],
    // env finds no program named eval on most systems; where one runs, it runs the text with env's HOME.
    ["env HOME=/ eval 'rm -rf ~'", "critical", "deletes / recursively"],
    // Text only known at run time may set HOME to anything: as before, the user's home.
    ["HOME=/tmp/x eval \"$1\"; rm -rf ~", "critical", "deletes /home/ada recursively", "sh"],
    // A script the line wrote, sourced, runs in the line's shell: what it assigns and the directory
    // it leaves hold afterwards (bash 5.2: `echo 'D=/tmp/y' > s.sh; D=/tmp/x; . ./s.sh; echo $D`
    // prints /tmp/y), as for eval's text, and not after running it in a child or a subshell.
    ["echo 'D=/' > x.sh; D=/tmp/a; . ./x.sh; rm -rf $D", "critical", "deletes / recursively"],
    ["echo 'D=/' > x.sh; D=/tmp/a; source x.sh; rm -rf $D", "critical", "deletes / recursively", "zsh"],
    ["echo 'D=/tmp/b' > x.sh; D=/; . ./x.sh; rm -rf $D", "moderate", "deletes /tmp/b recursively"],
    ["echo 'cd /' > x.sh; . ./x.sh; rm -rf *", "critical", "deletes * recursively"],
    ["echo 'D=/' > x.sh; D=/tmp/a; bash ./x.sh; rm -rf $D", "moderate", "deletes /tmp/a recursively"],
    ["echo 'D=/' > x.sh; D=/tmp/a; ( . ./x.sh ); rm -rf $D", "moderate", "deletes /tmp/a recursively"],
  ])("%j is %s (%s)", (command, risk, reason, shell) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});
