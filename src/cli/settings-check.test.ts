import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { readPermissionRules } from "../permissions/settings-file.js";
import { settingsFilesFor } from "../runtime/settings-files.js";
import { checkRunConfiguration, checkSettingsFile, checkSettingsFiles } from "./settings-check.js";

async function failure(file: string): Promise<WrenError> {
  const error = await checkSettingsFile(file).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof WrenError)) throw new Error(`expected a WrenError, got ${String(error)}`);
  return error;
}

describe("wren config validate of a settings.toml", () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-settings-check-"));
    file = path.join(dir, "settings.toml");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("passes a file of [permissions] and [ui]", async () => {
    await writeFile(file, '[permissions]\nallow = ["Bash(npm test)"]\n\n[ui]\ntheme = "light"\n');
    await expect(checkSettingsFile(file)).resolves.toEqual([]);
  });

  it("names a misspelt or unknown section, a bad rule and a bad theme", async () => {
    await writeFile(file, '[uii]\ntheme = "light"\n[routr]\ndefault = "auto"\n');
    const sections = await failure(file);
    expect(sections.code).toBe("config_invalid");
    expect(sections.message).toContain('uii: is not a known section. Did you mean "ui"?');
    expect(sections.message).toContain("routr: is not a known section. Remove it; the sections are: permissions, ui.");
    await writeFile(file, '[permissions]\nallow = ["Bash("]\n');
    expect((await failure(file)).message).toContain("permissions.allow[0]");
    await writeFile(file, '[ui]\ntheme = "solarized"\n');
    expect((await failure(file)).message).toContain('ui.theme: "solarized" is not a theme');
  });

  it("reports every problem in the file at once: its sections, its rules and its theme", async () => {
    await writeFile(file, '[permissions]\nallow = ["Bash("]\ndeny = ["Read(**/.env)", 3]\nalow = []\n\n[ui]\ntheme = "solarized"\n\n[routr]\ndefault = "auto"\n');
    const error = await failure(file);
    expect(error.code).toBe("config_invalid");
    expect(error.message).toContain("(5 problems)");
    expect(error.message).toContain(`${file}: routr: is not a known section.`);
    expect(error.message).toContain(`${file}: permissions.allow[0]: `);
    expect(error.message).toContain(`${file}: permissions.deny.1: `);
    expect(error.message).toContain(`${file}: permissions.alow: is not a known key. Did you mean "allow"?`);
    expect(error.message).toContain(`${file}: ui.theme: "solarized" is not a theme`);
    expect(error.details?.problems).toHaveLength(5);
    expect(error.hint).toContain("Fix the keys and values above;");
  });

  it("says a missing file is missing", async () => {
    expect((await failure(file)).message).toContain("settings.toml: does not exist.");
  });
});

describe("wren config validate without FILE", () => {
  it("checks the user's settings.toml and the project's, as a session reads them", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-settings-files-"));
    try {
      const env = { WREN_HOME: path.join(dir, "home") };
      const project = path.join(dir, "app");
      await mkdir(path.join(project, ".git"), { recursive: true });
      await mkdir(path.join(project, "src"));
      await mkdir(env.WREN_HOME);
      await expect(checkSettingsFiles(path.join(project, "src"), env)).resolves.toEqual([]);
      await writeFile(path.join(env.WREN_HOME, "settings.toml"), '[ui]\ntheme = "light"\n');
      await mkdir(path.join(project, ".wren"));
      await writeFile(path.join(project, ".wren", "settings.toml"), '[permisions]\ndeny = ["Read(**/.env)"]\n');
      const error = await checkSettingsFiles(path.join(project, "src"), env).then(() => undefined, (e: unknown) => e as WrenError);
      expect(error?.message).toContain(path.join(project, ".wren", "settings.toml"));
      expect(error?.message).toContain('permisions: is not a known section. Did you mean "permissions"?');
      await writeFile(path.join(env.WREN_HOME, "settings.toml"), '[uii]\ntheme = "light"\n');
      expect((await checkSettingsFiles(path.join(project, "src"), env).then(() => undefined, (e: unknown) => e as WrenError))?.message).toContain(
        'uii: is not a known section. Did you mean "ui"?',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports the problems of both files at once, a TOML syntax error in one with the other's", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-settings-files-"));
    try {
      const env = { WREN_HOME: path.join(dir, "home") };
      const project = path.join(dir, "app");
      await mkdir(path.join(project, ".git"), { recursive: true });
      await mkdir(path.join(project, ".wren"));
      await mkdir(env.WREN_HOME);
      const user = path.join(env.WREN_HOME, "settings.toml");
      const projects = path.join(project, ".wren", "settings.toml");
      await writeFile(user, '[ui]\ntheme = "solarized"\n[permissions]\nask = ["Bash("]\n');
      await writeFile(projects, '[permisions]\ndeny = ["Read(**/.env)"]\n');
      const error = await checkSettingsFiles(project, env).then(() => undefined, (e: unknown) => e as WrenError);
      expect(error?.message).toContain("(3 problems)");
      expect(error?.message).toContain(`${user}: ui.theme: "solarized" is not a theme`);
      expect(error?.message).toContain(`${user}: permissions.ask[0]: `);
      expect(error?.message).toContain(`${projects}: permisions: is not a known section.`);
      await writeFile(user, "[permissions]\nallow = [Bash]\n");
      const syntax = await checkSettingsFiles(project, env).then(() => undefined, (e: unknown) => e as WrenError);
      expect(syntax?.message).toContain("(2 problems)");
      expect(syntax?.message).toContain(`${user}:2:`);
      expect(syntax?.message).toContain("TOML syntax error");
      expect(syntax?.message).toContain(`${projects}: permisions: is not a known section.`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports the config files' problems and the settings files' together", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-settings-files-"));
    try {
      const env = { WREN_HOME: path.join(dir, "home") };
      const project = path.join(dir, "app");
      await mkdir(path.join(project, ".git"), { recursive: true });
      await mkdir(env.WREN_HOME);
      await expect(checkRunConfiguration(project, env, dir)).resolves.toEqual([]);
      await writeFile(path.join(env.WREN_HOME, "config.toml"), "[engine]\ngpuu = true\n");
      await writeFile(path.join(env.WREN_HOME, "settings.toml"), "[routr]\n");
      const error = await checkRunConfiguration(project, env, dir).then(() => undefined, (e: unknown) => e as WrenError);
      expect(error?.code).toBe("config_invalid");
      expect(error?.message).toContain("(2 problems)");
      expect(error?.message).toContain("engine.gpuu: ");
      expect(error?.message).toContain("settings.toml: routr: is not a known section.");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says a project's [ui] is not read, and does not judge it, as a run does not", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-settings-files-"));
    try {
      const env = { WREN_HOME: path.join(dir, "home") };
      const project = path.join(dir, "app");
      await mkdir(path.join(project, ".git"), { recursive: true });
      await mkdir(path.join(project, ".wren"));
      await mkdir(env.WREN_HOME);
      const projects = path.join(project, ".wren", "settings.toml");
      await writeFile(projects, '[permissions]\ndeny = ["Read(**/.env)"]\n\n[ui]\ntheme = "solarized"\n');
      const note = `${projects}: [ui] is not read from a project's settings file: the theme and colours are yours to choose, in the settings.toml of wren's config directory (${path.join(env.WREN_HOME, "settings.toml")}).`;
      // A run reads the project's rules and not its [ui]; validate says so and passes the file.
      await expect(readPermissionRules(projects, "project")).resolves.toHaveLength(1);
      await expect(checkSettingsFiles(project, env)).resolves.toEqual([note]);
      await expect(checkSettingsFile(projects, "project", env)).resolves.toEqual([note]);
      // Named as a FILE, a .wren/settings.toml that is not wren's config directory is a project's.
      await expect(checkSettingsFile(projects, undefined, env)).resolves.toEqual([note]);
      await writeFile(path.join(env.WREN_HOME, "settings.toml"), '[ui]\ntheme = "light"\n');
      await expect(checkSettingsFile(path.join(env.WREN_HOME, "settings.toml"), undefined, env)).resolves.toEqual([]);
      await writeFile(projects, '[permissions]\ndeny = ["Read(**/.env)"]\n');
      await expect(checkSettingsFiles(project, env)).resolves.toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("takes the files a run's permission rules come from: a project file that is the user's own, through a link, once", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "wren-settings-files-"));
    try {
      const project = path.join(dir, "app");
      await mkdir(path.join(project, ".git"), { recursive: true });
      await mkdir(path.join(project, ".wren"));
      await symlink(project, path.join(dir, "link"), "dir");
      // wren's config directory is the project's .wren, named through a link to the project.
      const env = { WREN_HOME: path.join(dir, "link", ".wren") };
      expect(settingsFilesFor(project, env)).toEqual({ user: path.join(dir, "link", ".wren", "settings.toml"), project: undefined });
      const other = { WREN_HOME: path.join(dir, "home") };
      expect(settingsFilesFor(path.join(project, ".wren"), other)).toEqual({ user: path.join(dir, "home", "settings.toml"), project: path.join(project, ".wren", "settings.toml") });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
