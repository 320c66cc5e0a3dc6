import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * `${NAME:-word}` and its kin are NAME's value or the word, depending on whether NAME is set: wren
 * fills in what it knows of NAME and, where it does not know, judges the word as well as an unknown
 * value.
 */
const rated = shellRater();

describe("${NAME:-word} and its kin", () => {
  it.each<string>([
    // HOME is unset in an sh child after env -i or env -u HOME: the word is used.
    "env -i sh -c 'rm -rf ${HOME:-/}'",
    "env -i sh -c 'rm -rf \"${HOME:=/}\"'",
    "env -u HOME bash -c 'rm -rf ${HOME-/}'",
    "env -i sh -c 'rm -rf \"${x:-/}\"'",
    // x is empty: `:-` uses the word.
    "x=; rm -rf ${x:-/}",
    "unset x; rm -rf \"${x:-/}\"",
    // x is set: `:+` and `+` use the word.
    "x=build; rm -rf ${x:+/}",
    "x=build; rm -rf \"${x+/}\"",
    // x may be unset: the word is one reading of it, and the worse one.
    "rm -rf ${x:-/}",
    "rm -rf \"${dir:-/}\"",
    "rm -rf ${x=/}",
    "rm -rf ${x:+/}",
    "rm -rf \"${1:-/}\"",
    "rm -rf ${x:-${y:-/}}",
    "sh -c \"rm -rf ${x:-/}\"",
    // `:=` and `=` give NAME the word: a later $NAME holds it.
    ": \"${DIR:=/}\"; rm -rf \"$DIR\"",
    ": ${DIR=/}; rm -rf $DIR",
    "DIR=; : ${DIR:=/}; rm -rf \"$DIR\"",
  ])("%j may delete / and is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<[string, Risk, string?]>([
    // HOME is the user's home here: `:-` keeps it, `:+` is the word.
    ["rm -rf ${HOME:-/}", "critical", "deletes /home/ada recursively"],
    ["rm -rf \"${HOME-/tmp/x}\"", "critical", "deletes /home/ada recursively"],
    ["rm -rf ${HOME:+/tmp/x}", "moderate", "deletes /tmp/x recursively"],
    // Unset in the child, `:+` is nothing: rm -rf with no operand.
    ["env -i sh -c 'rm -rf ${HOME:+/}'", "safe"],
    ["x=; rm -rf ${x:+/}", "safe"],
    ["x=build; rm -rf ${x:-/}", "moderate", "deletes build recursively"],
    ["DIR=build; : ${DIR:=/}; rm -rf $DIR", "moderate", "deletes build recursively"],
    [": ${DIR:=/}; DIR=build; rm -rf $DIR", "moderate", "deletes build recursively"],
    // Both readings are no worse than a value only known at run time.
    ["rm -rf \"${x:-build}\"", "high"],
    ["rm -rf ${x:?not set}", "high"],
  ])("%j is %s", (command, risk, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    if (detail) expect(r.details, r.shown).toContain(detail);
  });

  // Bash expands `~` in the word only outside double quotes: `"${x:-~}"` is a file named `~`.
  it.each<string>(['rm -rf "${x:-~}"', 'rm -rf "${x:-~/}"', 'y="${x:-~}"; rm -rf "$y"', 'rm -rf "a${x:-~}"'])("%j does not delete the home", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details.filter((d) => d.includes("/home/ada")), r.shown).toEqual([]);
  });

  it.each<string>(["rm -rf ${x:-~}", "rm -rf ${x:-~/}", "y=${x:-~}; rm -rf \"$y\""])("%j may delete the home and is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });

  // What `$(echo …)` or `$(printf %s …)` writes is the word it is given, each reading of it included.
  it.each<string>(['rm -rf "$(echo ${x:-~})"/', "rm -rf $(echo ${x:-~})", 'rm -rf "$(printf %s ${x:-~})"/', 'rm -rf "$(echo "$(echo ${x:-~})")"'])("%j may delete the home and is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => d.startsWith("deletes /home/ada")), r.shown).toBe(true);
  });

  it.each<[string, Risk, string?]>([
    ['rm -rf "$(echo /)"', "critical", "deletes / recursively"],
    ['x=/; rm -rf "$(echo $x)"', "critical", "deletes / recursively"],
    ["x=$(echo /); rm -rf $x", "critical", "deletes / recursively"],
    ['x="$(echo ${y:-/})"; rm -rf "$x"', "critical", "deletes / recursively"],
    ['echo hi > "$(echo /etc/passwd)"', "critical"],
    ['rm -rf "$(echo build)"', "moderate", "deletes build recursively"],
    ['rm -rf "$(echo ${x:-build})"', "high", "deletes build recursively"],
    // Inside its own double quotes `~` is a file named ~.
    ['rm -rf "$(echo "${x:-~}")"/', "high", "deletes ~/ recursively"],
    // Not a $(…)'s output: an element of y.
    ['rm -rf "${y[$(echo build)]}"', "high"],
  ])("%j, with what $(…) writes filled in, is %s", (command, risk, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    if (detail) expect(r.details, r.shown).toContain(detail);
  });
});
