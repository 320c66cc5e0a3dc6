import { CommanderError } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { capturePrinted, type Printed } from "../../../test/helpers/printed.js";
import { buildProgram } from "../main.js";

/** Bare `wren` from a script, a pipe or a CI job: it says why no assistant opened, and what to run. */
describe("wren with no command and no terminal", () => {
  let printed: Printed;
  const tty = { stdin: process.stdin.isTTY, stdout: process.stdout.isTTY };
  const setTty = (stdin: boolean, stdout: boolean): void => {
    Object.defineProperty(process.stdin, "isTTY", { value: stdin, configurable: true, writable: true });
    Object.defineProperty(process.stdout, "isTTY", { value: stdout, configurable: true, writable: true });
  };
  beforeEach(() => {
    printed = capturePrinted();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    setTty(tty.stdin, tty.stdout);
  });

  async function bare(): Promise<CommanderError> {
    const error = await buildProgram([]).parseAsync([], { from: "user" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    return error as CommanderError;
  }

  it.each([
    [false, false, "stdin and stdout are not terminals"],
    [false, true, "stdin is not a terminal"],
    [true, false, "stdout is not a terminal"],
  ])("stdin a terminal: %s, stdout: %s: says the assistant needs one (%s) and names wren -p, exit 2", async (stdin, stdout, which) => {
    setTty(stdin, stdout);
    expect((await bare()).exitCode).toBe(2);
    expect(printed.out).toBe("");
    // The help with every command first, then why: the last lines a person sees.
    expect(printed.err).toMatch(/^Usage: wren /);
    expect(printed.err).toMatch(/\n {2}serve /);
    expect(printed.err).toMatch(
      new RegExp(
        `\\n\\nerror: wren's interactive assistant needs a terminal, and here ${which}\\.\\n` +
          'For one task without a terminal, run wren -p "fix the failing test" \\(or pipe the task in: … \\| wren -p\\)\\.\\n$',
      ),
    );
  });
});
