import { userSettingsFile } from "../../permissions/settings-file.js";
import { noColor, THEME_NAMES } from "./components/theme.js";
import type { SessionController } from "./session-controller.js";
import { isThemeName, saveTheme } from "./theme-settings.js";

/**
 * `/theme` names the theme in force and the others; `/theme NAME` switches to it and saves it to
 * `[ui] theme` in the user's settings.toml, so the next session starts with it.
 */
export async function runTheme(c: SessionController, args: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const name = args.trim();
  const current = c.snapshot().theme.name;
  if (!name) {
    c.notice({ tone: "info", text: `Theme: ${current}. Built in: ${THEME_NAMES.join(", ")}.`, hint: "/theme NAME switches and saves it; colours by role go under [ui.colors] in settings.toml." });
    return;
  }
  if (!isThemeName(name)) {
    c.notice({ tone: "error", text: `There is no theme “${name}”.`, hint: `Pick one of: ${THEME_NAMES.join(", ")}.` });
    return;
  }
  const file = userSettingsFile(env);
  try {
    c.setTheme(await saveTheme(file, name, env));
  } catch (error) {
    c.error(error);
    return;
  }
  const plain = noColor(env) && name !== "none" ? " NO_COLOR is set, so wren draws without colours until it is unset." : "";
  c.flash(`Theme: ${name}, saved to ${file}.${plain}`);
}
