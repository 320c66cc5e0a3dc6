import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exitCodeOf, WrenError } from "../shared/errors.js";
import { checkConfigFile } from "./check-file.js";
import { loadConfig, type LoadConfigOptions } from "./index.js";

let root: string;
let home: string;
let parent: string;
let project: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "wren-config-unreadable-"));
  home = path.join(root, "home");
  parent = path.join(root, "work");
  project = path.join(parent, "app");
  await mkdir(path.join(home, ".config", "wren"), { recursive: true });
  await mkdir(project, { recursive: true });
  // A valid file one level up: what the loader used to fall back to, silently.
  await writeFile(path.join(parent, "wren.toml"), "[server]\nport = 1111\n");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function loadError(options: LoadConfigOptions = {}): Promise<WrenError> {
  const error: unknown = await loadConfig({ home, cwd: project, env: {}, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  const wren = error as WrenError;
  expect(wren.code).toBe("config_invalid");
  expect(exitCodeOf(wren)).toBe(2);
  return wren;
}

describe("a config file that is there but cannot be read is an error naming it, never skipped", () => {
  it("a wren.toml that is a directory", async () => {
    const file = path.join(project, "wren.toml");
    await mkdir(file);
    const error = await loadError();
    expect(error.message).toContain(`${file}: is a directory, not a TOML file. Remove or rename it, or point wren at a file.`);
    expect(error.message).not.toContain(path.join(parent, "wren.toml"));
  });

  it("a wren.toml that is a symbolic link loop", async () => {
    const file = path.join(project, "wren.toml");
    await symlink(file, file);
    const error = await loadError();
    expect(error.message).toContain(`${file}: is a symbolic link that loops back on itself. Fix or remove the link.`);
  });

  it("a wren.toml that links to nothing", async () => {
    const file = path.join(project, "wren.toml");
    await symlink(path.join(root, "gone.toml"), file);
    const error = await loadError();
    expect(error.message).toContain(`${file}: is a symbolic link to ${path.join(root, "gone.toml")}, which does not exist. Fix or remove the link.`);
  });

  it("a user config file that is a directory, a loop, or named and a directory", async () => {
    const userFile = path.join(home, ".config", "wren", "config.toml");
    await mkdir(userFile);
    expect((await loadError()).message).toContain("~/.config/wren/config.toml: is a directory");
    await rm(userFile, { recursive: true });
    await symlink(userFile, userFile);
    expect((await loadError()).message).toContain("~/.config/wren/config.toml: is a symbolic link that loops back on itself");
    const named = path.join(root, "named.toml");
    await mkdir(named);
    expect((await loadError({ userFile: named, projectFile: false })).message).toContain(`${named}: is a directory`);
  });

  it("the nearest readable wren.toml is still used, and a missing one falls back to the parent's", async () => {
    const { config, files } = await loadConfig({ home, cwd: project, env: {} });
    expect(config.server.port).toBe(1111);
    expect(files.project?.path).toBe(path.join(parent, "wren.toml"));
  });

  it("wren config validate says the same of a directory", async () => {
    const dir = path.join(root, "validate.toml");
    await mkdir(dir);
    expect(await checkConfigFile(dir, { home })).toEqual([
      { origin: dir, message: "is a directory, not a TOML file. Remove or rename it, or point wren at a file." },
    ]);
  });
});
