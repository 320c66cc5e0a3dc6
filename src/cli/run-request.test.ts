import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { capturePrinted } from "../../test/helpers/printed.js";
import { WrenError } from "../shared/errors.js";
import type { RunFlags } from "./commands/run.js";
import { main } from "./main.js";
import { buildRequest } from "./run-request.js";

const flags = (more: Partial<RunFlags>): RunFlags => ({ stop: [], lora: [], ...more });

function refusal(more: Partial<RunFlags>): WrenError {
  try {
    buildRequest("hi", flags(more), true);
  } catch (error) {
    if (error instanceof WrenError) return error;
    throw error;
  }
  throw new Error("expected the flags to be refused");
}

describe("wren run's sampling flags out of range", () => {
  it.each([
    [{ temperature: "5" }, "--temperature must be a number from 0 to 2; got 5.", "Pass --temperature between 0 and 2."],
    [{ topP: "2" }, "--top-p must be a number from 0 to 1; got 2.", "Pass --top-p between 0 and 1."],
    [{ minP: "-1" }, "--min-p must be a number from 0 to 1; got -1.", "Pass --min-p between 0 and 1."],
    [{ repeatPenalty: "11" }, "--repeat-penalty must be a number from 0 to 10; got 11.", "Pass --repeat-penalty between 0 and 10."],
    [{ seed: "-3" }, "--seed must be a number from 0 to 4294967295; got -3.", "Pass --seed between 0 and 4294967295."],
  ])("%j names the flag typed, not the API field", (more, message, hint) => {
    const error = refusal(more);
    expect(error.code).toBe("bad_request");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(hint);
  });

  it("passes values in range through", () => {
    expect(buildRequest("hi", flags({ temperature: "0", topP: "1", topK: "40" }), true)).toMatchObject({ temperature: 0, topP: 1, topK: 40 });
  });
});

describe("wren run -t 5", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("is refused, exit 2, before wren looks for the model", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-run-sampling-"));
    try {
      vi.stubEnv("WREN_HOME", home);
      vi.stubEnv("HOME", home);
      vi.stubEnv("XDG_CONFIG_HOME", path.join(home, ".config"));
      vi.spyOn(process, "cwd").mockReturnValue(home);
      const printed = capturePrinted();
      expect(await main(["run", "--model", path.join(home, "absent.gguf"), "-t", "5", "hi"]), printed.err).toBe(2);
      expect(printed.err).toContain("--temperature must be a number from 0 to 2; got 5.");
      expect(printed.err).not.toContain("absent.gguf");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
