import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";

/** `wren doctor` is what a user runs when something is wrong: a problem it finds is reported, not fatal. */
describe("wren doctor with a damaged models store", () => {
  it("reports the damaged manifest on the Models line, still reports the rest, and exits 1", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "wren-doctor-"));
    const modelsDir = path.join(home, "models");
    mkdirSync(modelsDir, { recursive: true });
    writeFileSync(path.join(modelsDir, "manifest.json"), "{ not json");
    const result = await runCli(["doctor", "--models-dir", modelsDir], {
      env: { HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), XDG_DATA_HOME: path.join(home, ".local/share"), XDG_STATE_HOME: path.join(home, ".local/state") },
      timeoutMs: 120_000,
    });
    expect(result.stdout).toMatch(/^OS: .+/m);
    expect(result.stdout).toMatch(/^ {2}cpu +loads$/m);
    expect(result.stdout).toMatch(new RegExp(`^Models: +${modelsDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*manifest\\.json is not valid JSON`, "m"));
    expect(result.stdout).toMatch(/^Daemon: +/m);
    expect(result.code).toBe(1);
  }, 150_000);
});
