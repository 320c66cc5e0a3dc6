import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { capturePrinted, type Printed } from "../../../test/helpers/printed.js";
import { main } from "../main.js";

let home: string;
let printed: Printed;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "wren-rm-not-found-"));
  vi.stubEnv("WREN_HOME", home);
  vi.stubEnv("HOME", home);
  vi.stubEnv("XDG_CONFIG_HOME", path.join(home, ".config"));
  vi.spyOn(process, "cwd").mockReturnValue(home);
  printed = capturePrinted();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

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
    const argv = args.map((a) => (a === "MODELS" ? path.join(home, "models") : a));
    expect(await main(argv), printed.err).toBe(code);
    expect(printed.err).toContain(message);
    expect(printed.out).toBe("");
  });
});
