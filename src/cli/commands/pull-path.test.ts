import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { capturePrinted, type Printed } from "../../../test/helpers/printed.js";
import { main } from "../main.js";

let home: string;
let printed: Printed;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "wren-pull-path-"));
  vi.stubEnv("WREN_HOME", home);
  vi.stubEnv("HOME", home);
  vi.stubEnv("XDG_CONFIG_HOME", path.join(home, ".config"));
  // Nothing may reach a Hub: a port nobody listens on.
  vi.stubEnv("HF_ENDPOINT", "http://127.0.0.1:9");
  vi.spyOn(process, "cwd").mockReturnValue(home);
  printed = capturePrinted();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

/** A path is used in place; there is nothing to pull, online or not. */
describe("wren pull PATH", () => {
  it.each([[[]], [["--offline"]], [["--update"]]])("is refused with exit 2 and the way to use it (%j)", async (flags) => {
    const file = path.join(home, "tiny.gguf");
    writeFileSync(file, "GGUF");
    const code = await main(["pull", file, ...flags, "--models-dir", path.join(home, "models")]);
    expect(code, printed.err).toBe(2);
    expect(printed.err).toContain(`${file} is a local file: there is nothing to pull.`);
    expect(printed.err).toContain("wren run --model <path>");
    expect(printed.out).toBe("");
  });
});
