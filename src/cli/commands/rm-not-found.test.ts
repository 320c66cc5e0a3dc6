import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTempHome } from "../../../test/helpers/temp-home.js";
import { main } from "../main.js";

const temp = useTempHome("wren-rm-not-found-");

/**
 * Removing a name that is not there is "not found" for every kind of thing wren keeps: exit 1, as
 * `wren mcp rm` and `wren train status ID` exit, a model being the one kind whose lookups all exit 3
 * (model problems, as `wren run --model` and `wren models info` of a missing model do).
 */
describe("rm of a name wren does not know exits by the documented codes", () => {
  it.each([
    ["wren sessions rm", ["sessions", "rm", "nosuch"], 1, 'There is no session "nosuch".'],
    ["wren adapters rm", ["adapters", "rm", "nosuch"], 1, "No adapter named 'nosuch' is registered."],
    ["wren models rm", ["models", "rm", "nosuch", "--models-dir", "MODELS"], 3, "nosuch is not in the store"],
  ])("%s", async (_what, args, code, message) => {
    const argv = args.map((a) => (a === "MODELS" ? path.join(temp.home, "models") : a));
    expect(await main(argv), temp.printed.err).toBe(code);
    expect(temp.printed.err).toContain(message);
    expect(temp.printed.out).toBe("");
  });
});
