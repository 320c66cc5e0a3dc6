import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * fish's `set HOME` inside a block or after `and`/`or` (fish 3.6, `fish --no-config -c '…; echo ~'`).
 * A plain `set` changes a variable where it already exists, and HOME is global: `begin; set HOME
 * /tmp/x; end; echo ~` prints /tmp/x, as do `if true; …; end`, `for`, `while` and `switch`. `set -l`
 * in a block makes a variable of that block: `begin; set -l HOME /tmp/x; echo ~; end; echo ~` prints
 * /tmp/x, then the user's home. After `and`/`or`, `&&`/`||` the `set` may not run: both values are
 * judged. `set -e HOME` there leaves `~` the user's home, as after the line's own `set -e HOME`.
 * One inside a function (called or not) is not followed: `~` stays the user's home.
 */
const rated = shellRater();

describe("a fish set HOME inside a block or after and/or", () => {
  it.each<[string, Risk, string[]]>([
    // A block other than a function changes the global HOME.
    ["begin; set HOME /; end; rm -rf ~", "critical", ["deletes / recursively"]],
    ["begin; set -x HOME /; end; rm -rf ~", "critical", ["deletes / recursively"]],
    ["begin; set -g HOME /; end; rm -rf $HOME", "critical", ["deletes / recursively"]],
    ["begin; set HOME /tmp/x; end; rm -rf ~/.ssh", "moderate", ["deletes /tmp/x/.ssh recursively"]],
    ["begin; set HOME /tmp/x; rm -rf ~/.ssh; end", "moderate", ["deletes /tmp/x/.ssh recursively"]],
    ["for i in 1; set HOME /tmp/x; end; rm -rf ~/.ssh", "moderate", ["deletes /tmp/x/.ssh recursively"]],
    // A body that may not run: HOME is either.
    ["if true; set HOME /; end; rm -rf ~", "critical", ["deletes / recursively", "deletes /home/ada recursively"]],
    ["if test -d /x; set HOME /tmp/x; end; rm -rf ~/.ssh", "high", ["deletes /tmp/x/.ssh recursively", "deletes /home/ada/.ssh recursively"]],
    ["while true; set HOME /; break; end; rm -rf ~", "critical", ["deletes / recursively"]],
    ["switch a; case a; set HOME /; end; rm -rf ~", "critical", ["deletes / recursively"]],
    // After and/or: it may not run.
    ["true; and set HOME /; rm -rf ~", "critical", ["deletes / recursively", "deletes /home/ada recursively"]],
    ["true && set HOME /; rm -rf ~", "critical", ["deletes / recursively", "deletes /home/ada recursively"]],
    ["false; or set HOME /; rm -rf ~", "critical", ["deletes / recursively", "deletes /home/ada recursively"]],
    ["false || set HOME /; rm -rf ~", "critical", ["deletes / recursively", "deletes /home/ada recursively"]],
    ["test -d /x; and set HOME /tmp/x; rm -rf ~", "critical", ["deletes /home/ada recursively", "deletes /tmp/x recursively"]],
    ["test -d /x; and set HOME /tmp/x; rm -rf ~/.ssh", "high", ["deletes /home/ada/.ssh recursively", "deletes /tmp/x/.ssh recursively"]],
    ["test -d /x; and begin; set HOME /tmp/x; end; rm -rf ~/.ssh", "high", ["deletes /home/ada/.ssh recursively", "deletes /tmp/x/.ssh recursively"]],
    // `set -l` in a block is that block's: inside it possibly the value, after it the HOME from before.
    ["begin; set -l HOME /; rm -rf ~; end", "critical", ["deletes / recursively"]],
    ["begin; set -l HOME /tmp/x; end; rm -rf ~", "critical", ["deletes /home/ada recursively"]],
    ["begin; set -l HOME /tmp/x; end; rm -rf ~/.ssh", "high", ["deletes /home/ada/.ssh recursively"]],
    ["set HOME /; begin; set -l HOME /tmp/x; end; rm -rf ~", "critical", ["deletes / recursively"]],
    // Erased where it may not run, or in a block: the user's home again (never a path only known at run time).
    ["set HOME /tmp/x; begin; set -e HOME; end; rm -rf ~", "critical", ["deletes /home/ada recursively"]],
    ["set HOME /tmp/x; true; and set -e HOME; rm -rf ~", "critical", ["deletes /home/ada recursively", "deletes /tmp/x recursively"]],
    ["begin; set HOME /tmp/x; set -e HOME; end; rm -rf ~", "critical", ["deletes /home/ada recursively"]],
    // Not followed: a universal HOME (hidden by the global one), one set in a function.
    ["begin; set -U HOME /tmp/x; end; rm -rf ~", "critical", ["deletes /home/ada recursively"]],
    ["function f; set HOME /tmp/x; end; f; rm -rf ~", "critical", ["deletes /home/ada recursively"]],
    ["function f; set -l HOME /tmp/x; end; f; rm -rf ~/.ssh", "high", ["deletes /home/ada/.ssh recursively"]],
    // Words before the set read the user's home.
    ["rm -rf ~/.ssh; begin; set HOME /tmp/x; end", "high", ["deletes /home/ada/.ssh recursively"]],
  ])("%j is %s", (command, risk, reasons) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
    for (const reason of reasons) expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});
