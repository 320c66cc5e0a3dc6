import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "./main.js";

const command = (name: string): Command => buildProgram().commands.find((c) => c.name() === name)!;
const flag = (name: string, short: string) =>
  command(name)
    .options.filter((o) => o.short === short)
    .map((o) => o.long);

/** One thing, one flag name: `-c` is `--context` wherever it sets the context size. */
describe("flag names agree between commands", () => {
  it("run and serve both call the context size -c, --context", () => {
    expect(flag("run", "-c")).toEqual(["--context"]);
    expect(flag("serve", "-c")).toEqual(["--context"]);
  });

  it("serve still accepts --context-size, hidden from its help", () => {
    const serve = command("serve");
    expect(serve.options.some((o) => o.long === "--context-size" && o.hidden)).toBe(true);
    expect(serve.helpInformation()).not.toContain("--context-size");
  });
});
