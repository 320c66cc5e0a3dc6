import { readFile } from "node:fs/promises";
import { parse, stringify, TomlError } from "smol-toml";
import { z } from "zod";
import { unknownKeyAdvice } from "../../config/suggest.js";
import { SETTINGS_SECTIONS_HINT, settingsProblemLines, unknownSettingsSections, type SettingsProblem } from "../../permissions/settings-file.js";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { WrenError } from "../../shared/errors.js";
import { resolvePalette, ROLES, THEME_NAMES, type Palette, type Role, type ThemeName } from "./components/theme.js";

/** The colour names Ink understands (chalk's foreground colours). */
const NAMED = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "gray", "grey"] as const;
const NAMED_COLOURS = [...NAMED, ...NAMED.filter((n) => n !== "gray" && n !== "grey").map((n) => `${n}Bright`)];

const colour = z.string().refine((v) => /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v) || NAMED_COLOURS.includes(v), {
  error: (issue) => `${JSON.stringify(issue.input)} is not a colour: use a name (${NAMED_COLOURS.join(", ")}) or hex such as #5f87ff`,
});

/** `[ui]` of the user's settings.toml; `[permissions]` belongs to permissions/, and any other table is refused (`unknownSettingsSections`). */
const settingsSchema = z.looseObject({
  ui: z
    .strictObject({
      theme: z.enum(THEME_NAMES, { error: (issue) => `${JSON.stringify(issue.input)} is not a theme: use ${THEME_NAMES.join(", ")}` }).optional(),
      colors: z.strictObject(Object.fromEntries(ROLES.map((r) => [r, colour.optional()])) as Record<Role, z.ZodOptional<typeof colour>>).optional(),
    })
    .optional(),
});

const UI_KEYS = Object.keys(settingsSchema.shape.ui.unwrap().shape);

const FORMAT_HINT = `The format is:\n[ui]\ntheme = "dark"   # ${THEME_NAMES.join(", ")}\n[ui.colors]\naccent = "#5f87ff"   # roles: ${ROLES.join(", ")}`;

/** The theme in force: its name and the palette drawn with (`none` under NO_COLOR). */
export interface ResolvedTheme {
  name: ThemeName;
  palette: Palette;
}

async function readSettings(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new WrenError("config_invalid", `${file} cannot be read (${error instanceof Error ? error.message : String(error)}).`, { hint: "Check the file's permissions.", cause: error });
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw new WrenError("config_invalid", `${file}:${error.line}:${error.column}: TOML syntax error.`, { hint: FORMAT_HINT, cause: error });
  }
}

/** Every problem with the `[ui]` table of a settings file's tables (its other tables are not looked at). */
export function uiProblems(values: Record<string, unknown>): SettingsProblem[] {
  const parsed = settingsSchema.safeParse(values);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((i) => {
    const key = i.path.join(".") || "(file)";
    if (i.code !== "unrecognized_keys") return [{ key, message: i.message, about: "value" as const }];
    const known = i.path.length > 1 ? ROLES : UI_KEYS;
    return i.keys.map((name) => ({ key: `${key}.${name}`, message: unknownKeyAdvice(name, known) }));
  });
}

function checked(file: string, values: Record<string, unknown>): z.infer<typeof settingsSchema> {
  const parsed = settingsSchema.safeParse(values);
  const sections = unknownSettingsSections(values);
  if (parsed.success && sections.length === 0) return parsed.data;
  if (parsed.success) throw new WrenError("config_invalid", `${file} has a section wren does not know:\n${settingsProblemLines(sections)}`, { hint: SETTINGS_SECTIONS_HINT });
  throw new WrenError("config_invalid", `${file} has a [ui] table wren cannot read:\n${settingsProblemLines([...sections, ...uiProblems(values)])}`, { hint: FORMAT_HINT });
}

/**
 * The user's theme from `[ui]` in their settings.toml (default `dark`), with their colours by role
 * on top. Never throws: a file wren cannot read gives the default theme and the problem to show.
 */
export async function loadTheme(file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ theme: ResolvedTheme; problem?: WrenError }> {
  try {
    const ui = checked(file, await readSettings(file)).ui;
    const name = ui?.theme ?? "dark";
    const colors = Object.fromEntries(Object.entries(ui?.colors ?? {}).filter(([, v]) => v !== undefined)) as Partial<Record<Role, string>>;
    return { theme: { name, palette: resolvePalette(name, colors, env) } };
  } catch (error) {
    const problem = error instanceof WrenError ? error : new WrenError("config_invalid", String(error), { hint: FORMAT_HINT, cause: error });
    return { theme: { name: "dark", palette: resolvePalette("dark", {}, env) }, problem };
  }
}

/**
 * Saves `[ui] theme = NAME` to the user's settings.toml (created when missing); the file's other
 * tables are kept, its comments are not. Returns the theme as it now draws.
 */
export async function saveTheme(file: string, name: ThemeName, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTheme> {
  const values = await readSettings(file);
  const ui = checked(file, values).ui ?? {};
  await writeFileAtomic(file, `${stringify({ ...values, ui: { ...ui, theme: name } }).trimEnd()}\n`);
  const colors = Object.fromEntries(Object.entries(ui.colors ?? {}).filter(([, v]) => v !== undefined)) as Partial<Record<Role, string>>;
  return { name, palette: resolvePalette(name, colors, env) };
}

/** Whether `name` is a built-in theme. */
export function isThemeName(name: string): name is ThemeName {
  return (THEME_NAMES as readonly string[]).includes(name);
}
