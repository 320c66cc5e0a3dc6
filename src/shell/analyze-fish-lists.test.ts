import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/** fish's variables are lists: `set x a b` holds two words, and a word holding `$x` is one word per element. */
const rated = shellRater();

describe("fish lists", () => {
  it.each<[string, Risk]>([
    // Each element is a word of its own, the command name too.
    ["set x rm -rf; $x ~", "critical"],
    ["set x -rf ~; rm $x", "critical"],
    ["set x rm -rf /; $x", "critical"],
    ["set x echo rm; $x -rf ~", "safe"],
    // A word around `$x` is one word per element: ~/$x is ~/a and ~/.
    ["set x a ''; rm -rf ~/$x", "critical"],
    ["set x tmp/a ''; rm -rf /$x", "critical"],
    ["set x a b; rm -rf /tmp/$x", "moderate"],
    // One element is one word, spaces and all: fish looks for a command named `rm -rf ~`.
    ["set x 'rm -rf ~'; $x", "safe"],
    ["set x 'a b'; rm -rf /tmp/$x", "moderate"],
    // A list set from another is that list.
    ["set x a ''; set y $x; rm -rf ~/$y", "critical"],
    // A list reaches a child shell as its elements joined by spaces.
    ["set -x x / /tmp; bash -c 'rm -rf $x'", "critical"],
    ["set -x x a b; bash -c 'rm -rf /tmp/$x'", "moderate"],
  ])("fish: %j is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, string]>([
    ["set x tmp/a ''; rm -rf /$x", "deletes /tmp/a recursively"],
    ["set x tmp/a ''; rm -rf /$x", "deletes / recursively"],
    // Quoted, the elements are one word joined by spaces.
    ["set x a b; rm -rf \"/tmp/$x\"", "deletes /tmp/a b recursively"],
  ])("fish: %j %s", (command, detail) => {
    const r = rated(command, "fish");
    expect(r.details, r.shown).toContain(detail);
  });
});

describe("fish list indexes", () => {
  // $x[N] is the Nth element (from 1; from the end when negative), $x[A..B] those from A to B (B before A: backwards), $x[N M] both.
  it.each<[string, Risk]>([
    ["set x rm -rf ~; $x[1..3]", "critical"],
    ["set x a ~; rm -rf $x[2]", "critical"],
    ["set x ~ a; rm -rf $x[-2]", "critical"],
    ["set x ~ a; rm -rf $x[1 2]", "critical"],
    ["set x a b ~; rm -rf $x[3..1]", "critical"],
    ["set x a b ~; rm -rf $x[2..]", "critical"],
    ["set x a tmp/b ''; rm -rf /$x[3]", "critical"],
    ["set x a ~; rm -rf \"$x[2]\"", "critical"],
    ["rm -rf $HOME[1]", "critical"],
    // What wren cannot read: an index known at run time, a range past the list's ends, a list not set on the line.
    ["set x a b; rm -rf $x[$i]", "high"],
    ["set x a b; rm -rf $x[2..9]", "high"],
    ["rm -rf $y[1]", "high"],
    // A `(…)` in an index runs.
    ["echo $x[(rm -rf ~)]", "critical"],
    ["set x a b; echo \"$x[(rm -rf ~)]\"", "critical"],
    ["set x a b; echo (rm -rf ~)$x[5]", "critical"],
    // -a and -p add to the list; setting or erasing an element leaves it unknown.
    ["set x a; set -a x ~; rm -rf $x[2]", "critical"],
    ["set x a; set -p x ~; rm -rf $x[1]", "critical"],
    ["set x a b; set x[1] ~; rm -rf $x", "high"],
    ["set x ~ b; set -e x[1]; rm -rf $x[1]", "high"],
  ])("fish: %j is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, string]>([
    ["set x echo rm; $x[1] -rf ~", "echo -rf ~"],
    ["set x ~ a; rm -rf $x[2]", "rm -rf a"],
    ["set x rm -rf ~; $x[..2] /tmp/a", "rm -rf /tmp/a"],
    ["set x a b c; rm -rf /tmp/$x[-1..2]", "rm -rf /tmp/c /tmp/b"],
    ["set x ~ b c; rm -rf $x[2 .. 3]", "rm -rf b c"],
    // An index past the end is no element, and a word holding it no word.
    ["set x ~ a; rm -rf ~/$x[5]", "rm -rf"],
    ["set x a; set -a x b; rm -rf /tmp/$x[1]", "rm -rf /tmp/a"],
    ["set x a; set -a x b; rm -rf /tmp/$x", "rm -rf /tmp/a /tmp/b"],
  ])("fish: %j is rated as %j", (command, as) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(rated(as, "fish").risk);
  });
});
