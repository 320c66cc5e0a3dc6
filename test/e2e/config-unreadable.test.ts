import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("a wren.toml that cannot be read stops the CLI with exit 2, naming it", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "wren-cli-config-"));
    // A valid file one level up, which must not be used in its place.
    await writeFile(path.join(root, "wren.toml"), "[server]\nport = 1111\n");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ["a directory", async (file: string) => mkdir(file), "is a directory, not a TOML file"],
    ["a symbolic link loop", async (file: string) => symlink(file, file), "is a symbolic link that loops back on itself"],
  ] as const)("%s", async (name, make, message) => {
    const cwd = path.join(root, name.replace(/\W+/g, "-"));
    await mkdir(cwd);
    const file = path.join(cwd, "wren.toml");
    await make(file);
    const result = await runCli(["config", "show"], { cwd, env: { WREN_HOME: path.join(root, "home") } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: ${message}`);
    expect(result.stdout).not.toContain("1111");
  });
});
