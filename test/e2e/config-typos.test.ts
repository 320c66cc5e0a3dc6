import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const home = mkdtempSync(path.join(os.tmpdir(), "wren-config-typos-"));
const env = { HOME: home, WREN_HOME: undefined, XDG_CONFIG_HOME: "", XDG_DATA_HOME: "", XDG_CACHE_HOME: "" };
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("a config key with two letters swapped", () => {
  it("gets a 'did you mean' like any other typo", async () => {
    mkdirSync(path.join(home, ".config", "wren"), { recursive: true });
    writeFileSync(path.join(home, ".config", "wren", "config.toml"), '[server]\nhots = "0.0.0.0"\n\n[engine]\ntrheads = 2\n');
    const result = await runCli(["config", "validate"], { env, cwd: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('server.hots: is not a known key. Did you mean "host"?');
    expect(result.stderr).toContain('engine.trheads: is not a known key. Did you mean "threads"?');
  });
});

describe("a config problem that names no key", () => {
  it("a missing file or a TOML syntax error is not called a key to fix", async () => {
    const missing = await runCli(["config", "validate", "nofile.toml"], { env, cwd: home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nofile.toml: does not exist.");
    expect(missing.stderr).toContain("Fix the problems above;");
    writeFileSync(path.join(home, "broken.toml"), "[server\nport = 1\n");
    const broken = await runCli(["config", "validate", "broken.toml"], { env, cwd: home });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("TOML syntax error at line 1");
    expect(broken.stderr).toContain("Fix the problems above;");
    writeFileSync(path.join(home, "key.toml"), '[server]\nport = "x"\n');
    const key = await runCli(["config", "validate", "key.toml"], { env, cwd: home });
    expect(key.stderr).toContain("Fix the values above;");
  });
});
