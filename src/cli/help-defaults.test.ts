import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "./main.js";

/** Every command of the tree, with its path (`router log`). */
function commands(command: Command, prefix = ""): Array<[string, Command]> {
  return command.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return [[name, c] as [string, Command], ...commands(c, `${name} `)];
  });
}

/** What `--help` prints for each option of `wren PATH`, by its long flag. */
function optionHelp(path: string): Map<string, string> {
  const found = commands(buildProgram()).find(([name]) => name === path)?.[1];
  if (found === undefined) throw new Error(`no command ${path}`);
  const help = found.createHelp();
  return new Map(found.options.map((o) => [o.long ?? o.flags, help.optionDescription(o)]));
}

describe("defaults in help", () => {
  it("a number prints as a number, not a quoted string", () => {
    expect(optionHelp("router log").get("--limit")).toBe("how many decisions to show (default: 20)");
    expect(optionHelp("daemon logs").get("--lines")).toBe("lines to print (default: 50)");
  });

  it("no option of any command shows a quoted number or true/false", () => {
    const quoted = commands(buildProgram()).flatMap(([name, command]) => {
      const help = command.createHelp();
      return command.options.map((o) => `wren ${name} ${o.flags}: ${help.optionDescription(o)}`).filter((line) => /default: "(?:-?\d+(?:\.\d+)?|true|false)"\)/.test(line));
    });
    expect(quoted).toEqual([]);
  });

  it("a word stays quoted, as commander shows strings", () => {
    expect(optionHelp("cmd").get("--safety")).toContain('default: "moderate")');
  });
});
