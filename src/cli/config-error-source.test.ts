import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";
import { sharedModels } from "../../test/helpers/shared-models.js";

const FILE_ADVICE = "`wren config validate FILE` checks one file";

/**
 * A bad value is fixed where it was written: a flag on the command line, a variable in the
 * environment, a key in a config file. Each gets the advice for its own place; a flag typed wrong
 * is not sent to validate config files.
 */
describe("a bad config value gets the advice for where it came from", () => {
  let home: string;
  let env: Record<string, string | undefined>;

  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-config-error-source-"));
    // Nothing may reach a Hub: a port nobody listens on.
    env = { WREN_HOME: home, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), HF_ENDPOINT: "http://127.0.0.1:9" };
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it.each([
    ["wren run -c", ["run", "--model", "MODEL", "-c", "0", "hi"], "--context: 0 is less than the minimum (16). Use 16 or more."],
    ["wren run --threads", ["run", "--model", "MODEL", "--threads", "many", "hi"], '--threads: expected a number, got the string "many".'],
    ["wren serve --port", ["serve", "--port", "99999"], "--port: 99999 is more than the maximum (65535). Use 65535 or less."],
  ])("%s: names the flag, what was wrong and what to send, without config-file advice", async (_what, args, line) => {
    const result = await runCli(
      args.map((a) => (a === "MODEL" ? sharedModels.chat : a)),
      { env, cwd: home },
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`\n  ${line}`);
    const flag = line.slice(0, line.indexOf(":"));
    expect(result.stderr).toContain(`Run the command again with a valid value for ${flag}.`);
    expect(result.stderr).not.toContain(FILE_ADVICE);
    expect(result.stderr).not.toContain("engine.");
  });

  it("an environment variable is named, with its key, and the advice is to fix or unset it", async () => {
    const result = await runCli(["run", "--model", sharedModels.chat, "hi"], { env: { ...env, WREN_ENGINE_CONTEXT_SIZE: "0" }, cwd: home });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("\n  WREN_ENGINE_CONTEXT_SIZE: engine.contextSize: 0 is less than the minimum (16). Use 16 or more.");
    expect(result.stderr).toContain("Fix WREN_ENGINE_CONTEXT_SIZE, or unset it to use the config files or the default.");
    expect(result.stderr).not.toContain(FILE_ADVICE);
  });

  it("a key in a config file keeps the advice for files", async () => {
    const cwd = mkdtempSync(path.join(home, "project-"));
    writeFileSync(path.join(cwd, "wren.toml"), "[engine]\ncontextSize = 0\n");
    const result = await runCli(["run", "--model", sharedModels.chat, "hi"], { env, cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("wren.toml: engine.contextSize: 0 is less than the minimum (16). Use 16 or more.");
    expect(result.stderr).toContain(`Fix the values above; ${FILE_ADVICE}`);
    expect(result.stderr).not.toContain("valid value for");
  });

  it("bad values from all three places are each advised in one message", async () => {
    const cwd = mkdtempSync(path.join(home, "project-"));
    writeFileSync(path.join(cwd, "wren.toml"), "[engine]\nbatchSize = 0\n");
    const result = await runCli(["run", "--model", sharedModels.chat, "--threads", "0", "hi"], {
      env: { ...env, WREN_ENGINE_CONTEXT_SIZE: "0" },
      cwd,
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("Invalid configuration (3 problems)");
    expect(result.stderr).toContain(`Fix the values above; ${FILE_ADVICE}`);
    expect(result.stderr).toContain("Fix WREN_ENGINE_CONTEXT_SIZE, or unset it");
    expect(result.stderr).toContain("Run the command again with a valid value for --threads.");
  });
});
