import { createContext, useContext } from "react";

/** What a colour is for; a theme gives each role a colour (or none). */
export const ROLES = [
  "text",
  "dim",
  "accent",
  "success",
  "warning",
  "danger",
  "add",
  "remove",
  "heading",
  "code",
  "keyword",
  "string",
  "number",
  "comment",
  "title",
] as const;
export type Role = (typeof ROLES)[number];

/** A colour for each role: a name Ink knows (`cyan`, `blueBright`) or hex (`#5f87ff`); undefined leaves the terminal's own. */
export type Palette = Readonly<Record<Role, string | undefined>>;

export const THEME_NAMES = ["dark", "light", "none"] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

const dark: Palette = {
  text: undefined,
  dim: "gray",
  accent: "cyan",
  success: "green",
  warning: "yellow",
  danger: "red",
  add: "green",
  remove: "red",
  heading: "cyanBright",
  code: "yellow",
  keyword: "magenta",
  string: "green",
  number: "yellow",
  comment: "gray",
  title: "blueBright",
};

// On a light background yellow and the bright colours wash out: darker tones of the same roles.
const light: Palette = {
  text: undefined,
  dim: "gray",
  accent: "blue",
  success: "green",
  warning: "#a05a00",
  danger: "red",
  add: "green",
  remove: "red",
  heading: "blue",
  code: "magenta",
  keyword: "magenta",
  string: "green",
  number: "#a05a00",
  comment: "gray",
  title: "blue",
};

const none: Palette = Object.fromEntries(ROLES.map((r) => [r, undefined])) as Palette;

/** The built-in themes; `none` is plain text (bold, italics and inverse still show). */
export const THEMES: Readonly<Record<ThemeName, Palette>> = { dark, light, none };

/**
 * The palette in force: `none` whenever NO_COLOR is set (https://no-color.org), whatever was
 * chosen; otherwise the named theme with the user's own colours for some roles on top.
 */
export function resolvePalette(name: ThemeName, overrides: Partial<Record<Role, string>> = {}, env: NodeJS.ProcessEnv = process.env): Palette {
  if (noColor(env)) return none;
  return { ...THEMES[name], ...overrides };
}

/** NO_COLOR counts when set to anything but the empty string. */
export function noColor(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env["NO_COLOR"] ?? "") !== "";
}

/** The dark palette, for screens drawn outside the assistant's session (`wren setup`). */
export const theme: Palette = dark;

const ThemeContext = createContext<Palette>(dark);

/** Provides the palette to the components under it (the app switches it on /theme). */
export const ThemeProvider = ThemeContext.Provider;

/** The palette in force. */
export function useTheme(): Palette {
  return useContext(ThemeContext);
}

/** The role that colours shell mode's risk levels, for the badge in the permission dialog. */
export const riskRole: Record<string, Role> = { safe: "success", moderate: "warning", high: "danger", critical: "danger" };
