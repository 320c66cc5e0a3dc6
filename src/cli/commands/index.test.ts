import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../main.js";
import { COMMANDS, registrationsFor, ROOT } from "./index.js";

/** Every flag of a command and of its subcommands, by path: what a user can type. */
function flags(command: Command, prefix = ""): string[] {
  const own = command.options.map((o) => `${prefix}${command.name()} ${o.flags}`);
  return [...own, ...command.commands.flatMap((c) => flags(c, `${prefix}${command.name()} `))];
}

describe("the command tree a start builds", () => {
  it("names each top-level command after what its registration declares, and the whole tree holds them all", () => {
    for (const [name, register] of COMMANDS) {
      const program = new Command("wren");
      register(program);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
    }
    expect(buildProgram().commands.map((c) => c.name())).toEqual(COMMANDS.map(([name]) => name));
  });

  it("gives a command named first its own part, with every flag and subcommand the whole tree gives it", () => {
    const whole = buildProgram();
    for (const [name] of COMMANDS.filter(([n]) => n !== "completion")) {
      const program = buildProgram([name, "--some-flag"]);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
      expect(flags(program.commands[0]!)).toEqual(flags(whole.commands.find((c) => c.name() === name)!));
      // The root's own options (-p and the terminal UI's) belong to runs that name no command.
      expect(program.options.map((o) => o.long)).toEqual(["--version"]);
    }
  });

  it("gives a run naming no command only the root's options, the same as in the whole tree", () => {
    for (const argv of [[], ["-p", "fix the failing test"], ["--model", "openai:gpt-4o-mini"], ["explain this repository"]]) {
      expect(registrationsFor(argv)).toEqual([ROOT]);
      const program = buildProgram(argv);
      expect(program.commands).toEqual([]);
      expect(program.options.map((o) => o.flags)).toEqual(buildProgram().options.map((o) => o.flags));
    }
  });

  it("builds the whole tree for help, shell completion, and a command named after other words", () => {
    const whole = COMMANDS.length + 1;
    for (const argv of [["--help"], ["cmd", "-h"], ["help", "cmd"], ["completion", "bash"], ["--offline", "cmd", "list files"], ["-p", "run", "the", "tests"]]) {
      expect(registrationsFor(argv)).toHaveLength(whole);
    }
    expect(registrationsFor(undefined)).toHaveLength(whole);
  });
});
