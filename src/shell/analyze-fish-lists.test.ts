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
