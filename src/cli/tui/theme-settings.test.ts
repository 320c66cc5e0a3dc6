import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { THEMES } from "./components/theme.js";
import { loadTheme, saveTheme } from "./theme-settings.js";

describe("the theme in the user's settings.toml", () => {
  let dir: string;
  let file: string;
  const colour = {};
  const noColour = { NO_COLOR: "1" };
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-theme-"));
    file = path.join(dir, "settings.toml");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is dark without a file, and none whenever NO_COLOR is set", async () => {
    expect(await loadTheme(file, colour)).toEqual({ theme: { name: "dark", palette: THEMES.dark } });
    writeFileSync(file, '[ui]\ntheme = "light"\n');
    expect((await loadTheme(file, noColour)).theme).toEqual({ name: "light", palette: THEMES.none });
    expect((await loadTheme(file, { NO_COLOR: "" })).theme.palette).toEqual(THEMES.light);
  });

  it("takes the user's colours by role, named or hex, over the theme's", async () => {
    writeFileSync(file, '[ui]\ntheme = "light"\n[ui.colors]\naccent = "#5f87ff"\nkeyword = "redBright"\n');
    const { theme, problem } = await loadTheme(file, colour);
    expect(problem).toBeUndefined();
    expect(theme.palette).toEqual({ ...THEMES.light, accent: "#5f87ff", keyword: "redBright" });
  });

  it("a value it cannot use is a problem to show, naming the key, and the default theme draws meanwhile", async () => {
    writeFileSync(file, '[ui]\ntheme = "solarized"\n[ui.colors]\naccent = "#12"\n');
    const { theme, problem } = await loadTheme(file, colour);
    expect(theme.name).toBe("dark");
    expect(problem?.code).toBe("config_invalid");
    expect(problem?.message).toMatch(/ui\.theme: "solarized" is not a theme: use dark, light, none/);
    expect(problem?.message).toMatch(/ui\.colors\.accent: "#12" is not a colour: use a name \(black, .*\) or hex such as #5f87ff/);
    expect(problem?.hint).toContain("[ui.colors]");
    writeFileSync(file, "[ui\n");
    expect((await loadTheme(file, colour)).problem?.message).toMatch(/settings\.toml:1:\d+: TOML syntax error/);
  });

  it("a misspelt key gets the did-you-mean that wren.toml's keys get", async () => {
    writeFileSync(file, '[ui]\nthem = "light"\n[ui.colors]\nacent = "red"\nbackground = "black"\n');
    const { theme, problem } = await loadTheme(file, colour);
    expect(theme.name).toBe("dark");
    expect(problem?.message).toContain('ui.them: is not a known key. Did you mean "theme"?');
    expect(problem?.message).toContain('ui.colors.acent: is not a known key. Did you mean "accent"?');
    expect(problem?.message).toMatch(/ui\.colors\.background: is not a known key\. Remove it; the keys here are: text, dim, accent/);
  });

  it("a misspelt [ui] table is a problem to show, with the table meant", async () => {
    writeFileSync(file, '[uii]\ntheme = "light"\n');
    const { theme, problem } = await loadTheme(file, colour);
    expect(theme.name).toBe("dark");
    expect(problem?.message).toContain('uii: is not a known section. Did you mean "ui"?');
  });

  it("saving keeps the file's other tables and the user's colours", async () => {
    writeFileSync(file, '[permissions]\nallow = ["Bash(npm test)"]\n\n[ui.colors]\naccent = "blue"\n');
    const saved = await saveTheme(file, "light", colour);
    expect(saved).toEqual({ name: "light", palette: { ...THEMES.light, accent: "blue" } });
    const text = readFileSync(file, "utf8");
    expect(text).toContain('allow = [ "Bash(npm test)" ]');
    expect((await loadTheme(file, colour)).theme).toEqual(saved);
    // A new file is made when there is none.
    rmSync(file);
    await saveTheme(file, "none", colour);
    expect(readFileSync(file, "utf8")).toBe('[ui]\ntheme = "none"\n');
  });
});
