import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * `$HOME` in a child shell is what its environment holds: `env -i` and `env -u HOME` remove it (sh,
 * dash and bash then leave it unset), `env -i HOME=/` and `HOME=/ sh -c` give it a new value.
 */
const rated = shellRater();

describe("a child shell's $HOME", () => {
  it.each<string>([
    // The child's $HOME is /, so this is `rm -rf /`.
    "env -i HOME=/ sh -c 'rm -rf $HOME'",
    "HOME=/ sh -c 'rm -rf $HOME'",
    "env HOME=/ bash -c 'rm -rf \"$HOME\"'",
    "export HOME=/; sh -c 'rm -rf $HOME'",
    // Unset, `$HOME/` is `/`.
    "env -i sh -c 'rm -rf $HOME/'",
    "env -i sh -c 'rm -rf \"$HOME/\"'",
    "env -u HOME bash -c 'rm -rf $HOME/*'",
    "env -i dash -c 'rm -rf $HOME/'",
    "env -i sh -c 'sh -c \"rm -rf \\$HOME/\"'",
  ])("%j deletes / and is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => /^deletes \/\*? recursively$/.test(d)), r.shown).toBe(true);
  });

  it.each<[string, Risk]>([
    // Any lower-case name the line did not hand on is unset after env -i or sudo: "$x/" is `/`.
    ["env -i sh -c 'rm -rf \"$x/\"'", "critical"],
    ["sudo bash -c 'rm -rf \"${dir}/\"'", "critical"],
    ["env -i sh -c 'rm -rf $x'", "safe"],
    ["env -i sh -c 'x=build; rm -rf \"$x/\"'", "moderate"],
    ["env -i x=build sh -c 'rm -rf \"$x/\"'", "moderate"],
    // Without a wrapper that empties the environment, x may come from it.
    ["sh -c 'rm -rf \"$x/\"'", "high"],
    ["env -i zsh -c 'rm -rf \"$x/\"'", "high"],
    // HOME is unset in the child, so `rm -rf $HOME` is `rm -rf`, and `"$HOME"` an empty name.
    ["env -i sh -c 'rm -rf $HOME'", "safe"],
    ["env -i bash -c 'rm -rf \"$HOME\"'", "safe"],
    ["env -u HOME sh -c 'rm -rf $HOME'", "safe"],
    ["env - sh -c 'rm -rf $HOME'", "safe"],
    ["env -i /bin/sh -c 'rm -rf $HOME'", "safe"],
    // env -i after sudo empties what sudo set.
    ["sudo env -i sh -c 'rm -rf $HOME'", "moderate"],
    // A home that is not the user's.
    ["HOME=/tmp/scratch sh -c 'rm -rf $HOME/cache'", "moderate"],
    // A value only known at run time stays unknown.
    ["HOME=$1 sh -c 'rm -rf $HOME'", "high"],
  ])("%j is %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<string>([
    // zsh and fish set HOME to the user's home when it is unset; su and sudo set it themselves.
    "env -i zsh -c 'rm -rf $HOME'",
    "env -i fish -c 'rm -rf $HOME'",
    "env -i ksh -c 'rm -rf $HOME'",
    "env -i su -c 'rm -rf $HOME'",
    "env -i sudo sh -c 'rm -rf $HOME'",
    "HOME=/tmp/x sudo sh -c 'rm -rf $HOME'",
    "env -i sh -c 'su -c \"rm -rf \\$HOME\"'",
    "env -i sh -c 'zsh -c \"rm -rf \\$HOME\"'",
    // Untouched, $HOME is the user's home.
    "sh -c 'rm -rf $HOME'",
    "env -u x sh -c 'rm -rf $HOME'",
    // bash's ~ is the home in the password database when HOME is unset.
    "env -i bash -c 'rm -rf ~'",
  ])("%j stays critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });
});
