import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { configFileFor, setConfigKey, unsetConfigKey, type ConfigEditOptions } from "./config-edit.js";

let dir: string;
let options: ConfigEditOptions;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-config-edit-"));
  await mkdir(path.join(dir, "app", ".git"), { recursive: true });
  await mkdir(path.join(dir, "app", "sub"), { recursive: true });
  options = { cwd: path.join(dir, "app", "sub"), home: dir, env: { XDG_CONFIG_HOME: path.join(dir, "xdg") } };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(run: Promise<unknown>): Promise<WrenError> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WrenError);
  return error as WrenError;
}

describe("changing one key of a config file", () => {
  it("chooses the user file, or the project's wren.toml at the project root", () => {
    expect(configFileFor("user", options)).toBe(path.join(dir, "xdg", "wren", "config.toml"));
    expect(configFileFor("project", options)).toBe(path.join(dir, "app", "wren.toml"));
  });

  it("writes through a link to the user file, keeping the link, and makes the file its owner's alone", async () => {
    const real = path.join(dir, "dotfiles", "wren.toml");
    await mkdir(path.dirname(real), { recursive: true });
    await writeFile(real, "# mine\n[engine]\ngpu = \"cpu\"\n", { mode: 0o644 });
    await mkdir(path.join(dir, "xdg", "wren"), { recursive: true });
    await symlink(real, configFileFor("user", options));
    const result = await setConfigKey("engine.gpu", "auto", options);
    expect(result).toMatchObject({ changed: true, value: "auto" });
    expect((await lstat(configFileFor("user", options))).isSymbolicLink()).toBe(true);
    expect(await readFile(real, "utf8")).toBe("# mine\n[engine]\ngpu = \"auto\"\n");
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect((await setConfigKey("engine.gpu", "auto", options)).changed).toBe(false);
  });

  it("keeps a project file's mode", async () => {
    const file = path.join(dir, "app", "wren.toml");
    await writeFile(file, "[server]\nport = 1\n");
    await chmod(file, 0o640);
    await setConfigKey("server.port", "2", { ...options, scope: "project" });
    expect(await readFile(file, "utf8")).toBe("[server]\nport = 2\n");
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it("refuses an edit that leaves the file with a new problem, and allows one beside an old problem", async () => {
    const file = path.join(dir, "app", "wren.toml");
    const project = { ...options, scope: "project" as const };
    // A pool needs its replicas: right for the key alone, wrong for the file.
    const pool = await rejection(setConfigKey("router.providers.p.kind", "pool", project));
    expect(pool.code).toBe("config_invalid");
    expect(pool.message).toContain("Changing router.providers.p.kind would make");
    expect(pool.message).toContain("router.providers.p.replicas");
    await expect(stat(file)).rejects.toThrow();
    const text = '[engine]\ngpu = "rocm"\n';
    await writeFile(file, text);
    await setConfigKey("server.port", "2", project);
    expect(await readFile(file, "utf8")).toBe(`${text}\n[server]\nport = 2\n`);
    const notSet = await rejection(unsetConfigKey("engine.contextSize", project));
    expect(notSet.code).toBe("not_found");
  });

  it("unsetting a key twice says the second time that no file sets it, not that the user file does", async () => {
    await setConfigKey("server.port", "8080", options);
    await unsetConfigKey("server.port", options);
    // The [server] header stays behind, empty: it sets nothing.
    expect(await readFile(configFileFor("user", options), "utf8")).toContain("[server]");
    const again = await rejection(unsetConfigKey("server.port", options));
    expect(again.code).toBe("not_found");
    expect(again.hint).not.toContain("It is set in");
  });

  it("says the file is not valid TOML and leaves it alone", async () => {
    const file = path.join(dir, "app", "wren.toml");
    await writeFile(file, "[engine\n");
    const error = await rejection(setConfigKey("engine.gpu", "cpu", { ...options, scope: "project" }));
    expect(error.message).toContain("it is not valid TOML (line 1)");
    expect(await readFile(file, "utf8")).toBe("[engine\n");
  });
});

describe("wren config set --project and what a project file may not set", () => {
  it("refuses to write a setting that would make wren refuse the project's wren.toml, and leaves the file as it was", async () => {
    const project = { ...options, scope: "project" as const };
    const file = path.join(dir, "app", "wren.toml");
    await setConfigKey("engine.gpu", "cpu", project);
    const before = await readFile(file, "utf8");
    const error = await rejection(setConfigKey("server.host", "0.0.0.0", project));
    expect(error.code).toBe("config_invalid");
    expect(error.message).toContain("Changing server.host would make");
    expect(error.message).toContain("server.host: a project's wren.toml may not");
    expect(error.hint).toBe('To set it for yourself, in your user config file: wren config set server.host "0.0.0.0"');
    expect(await readFile(file, "utf8")).toBe(before);
    // The user's own file may set it.
    await expect(setConfigKey("server.host", "0.0.0.0", options)).resolves.toMatchObject({ changed: true });
  });
});
