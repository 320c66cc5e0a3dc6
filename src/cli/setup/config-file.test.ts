import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../../shared/errors.js";
import { writeUserConfig } from "./config-file.js";

describe("writing the user config from wren setup", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-setup-file-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes TOML the config loader reads, readable by its owner only", async () => {
    const file = path.join(dir, "wren", "config.toml");
    await writeUserConfig(file, { router: { cloud: "ask", providers: { openai: { apiKey: "sk-x" } } } });
    expect(await readFile(file, "utf8")).toContain('apiKey = "sk-x"');
    if (process.platform !== "win32") expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.dirname(file))).toEqual(["config.toml"]);
  });

  it("never writes values the schema refuses, and names the file, not a temporary one", async () => {
    const file = path.join(dir, "config.toml");
    const error = await writeUserConfig(file, { router: { cloud: "sometimes" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("config_invalid");
    expect((error as WrenError).message).toContain("config.toml: router.cloud");
    expect((error as WrenError).message).not.toMatch(/\.tmp\b/);
    expect(await readdir(dir)).toEqual([]);
  });
});
