import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * fish's variable scopes (fish 3.6, `fish --no-config -c '…; echo "[$X]"'`). `set -l X` in a block
 * (`begin`, the body of `if`, `while`, `for`, a `case` of `switch`) or a function makes X that
 * block's: after its `end` X is what it was before (`set X /a; begin; set -l X /b; end; echo $X`
 * prints /a; without the first `set`, nothing). The condition of `if` and `while` is not in the
 * block: `if set -l X /b; end; echo $X` prints /b. A plain `set X` changes X where it already is (a
 * global, a block's), in a block too (`begin; set X /b; end` makes a global X); in a function where X
 * is not set it makes one of the function's (`function g; set X /b; end; g; echo $X` prints nothing),
 * read both ways where wren cannot tell. A `set -l` that may not run (`true; and set -l X /b`), with a
 * plain `set X` after it in the block, leaves X either: both are judged.
 */
const rated = shellRater();

describe("a fish set -l inside a block", () => {
  it.each<[string, Risk, string[]]>([
    // After the block X is what it was before: unset (a value only known at run time) or the line's.
    ["begin; set -l X /tmp/x; end; rm -rf $X/.ssh", "high", ["deletes a path only known at run time recursively"]],
    ["set X /; begin; set -l X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; begin; set --local X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; begin; set -lx X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; if true; set -l X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; if false; else; set -l X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; for i in 1 2; set -l X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; while true; set -l X /tmp/x; break; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; switch a; case a; set -l X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; begin; begin; set -l X /tmp/x; end; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; test -d /x; and begin; set -l X /tmp/x; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    // Inside the block, the block's value.
    ["set X /; begin; set -l X /tmp/x; rm -rf $X/etc; end", "moderate", ["deletes /tmp/x/etc recursively"]],
    ["set X /; begin; set -l X /tmp/x; begin; rm -rf $X/etc; end; end", "moderate", ["deletes /tmp/x/etc recursively"]],
    // A plain set after the block's own set -l changes the block's X.
    ["set X /; begin; set -l X /tmp/x; set X /tmp/y; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; begin; set -l X /tmp/x; begin; set X /tmp/y; end; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    // A set -l that may not run, a plain set after it: X is either.
    ["set X /; begin; test -d /x; and set -l X /tmp/x; set X /tmp/y; end; rm -rf $X/etc", "critical", ["deletes //etc recursively", "deletes /tmp/y/etc recursively"]],
    // The condition of if and while is the enclosing scope's.
    ["set X /tmp/x; if set -l X /; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    // A function's set -l is the function's.
    ["set X /; function g; set -l X /tmp/x; end; g; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["function g; set -l X /tmp/x; end; g; rm -rf $X/.ssh", "high", ["deletes a path only known at run time recursively"]],
    ["set X /; function g; set -f X /tmp/x; end; g; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    // A block piped into, or given its input, is a block too.
    ["set X /; echo | begin; set -l X /tmp/x; cat; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    // eval's text runs in the block: its set -l is the block's.
    ["set X /; begin; eval 'set -l X /tmp/x'; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; begin; eval 'set -l X /tmp/x'; rm -rf $X/etc; end", "moderate", ["deletes /tmp/x/etc recursively"]],
    ["set X /; eval 'set -l X /tmp/x'; rm -rf $X/etc", "moderate", ["deletes /tmp/x/etc recursively"]],
    ["set X /tmp/x; begin; eval 'set X /'; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    // set -g after the block's set -l: the global one is what holds after the block.
    ["set X /tmp/x; begin; set -l X /tmp/y; set -g X /; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    // A function's plain set of an X that is not set makes the function's own.
    ["function g; set X /tmp/x; end; g; rm -rf $X/.ssh", "high", ["deletes a path only known at run time recursively"]],
    // ... and changes a global one.
    ["set X /tmp/x; function g; set X /; end; g; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /; function g; set X /tmp/x; end; g; rm -rf $X/etc", "moderate", ["deletes /tmp/x/etc recursively"]],
    // Unchanged: a plain set in a block, and set -l outside any block, hold after it.
    ["begin; set X /; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["begin; set -f X /; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set X /tmp/x; begin; set X /; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["if true; set X /; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["set -l X /; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["true; and set -l X /; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
    ["for X in /; end; rm -rf $X/etc", "critical", ["deletes //etc recursively"]],
  ])("%j is %s", (command, risk, reasons) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
    for (const reason of reasons) expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});

describe("a fish set in eval text or a child fish", () => {
  it.each<[string, Risk, string[]]>([
    // A set that always runs there: its value.
    ["set HOME /; eval 'true; set HOME /tmp/y'; rm -rf ~/etc", "moderate", ["deletes /tmp/y/etc recursively"]],
    ["set HOME /; fish -c 'set HOME /tmp/y; rm -rf ~/etc'", "moderate", ["deletes /tmp/y/etc recursively"]],
  ])("%j is %s", (command, risk, reasons) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
    for (const reason of reasons) expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });
});
