import { stat } from "node:fs/promises";
import path from "node:path";
import { readPermissionRules } from "../permissions/settings-file.js";
import { settingsFilesFor } from "../runtime/settings-files.js";
import { WrenError } from "../shared/errors.js";
import { loadTheme } from "./tui/theme-settings.js";

/**
 * `wren config validate FILE` for a settings.toml: the file as wren reads it, its sections (a
 * misspelt or unknown one), its `[permissions]` rules and its `[ui]` theme, each refused with
 * the error a run would give (`scope`: whose rules a run reads there). Throws the first reader's
 * error; returns when the file is good.
 */
export async function checkSettingsFile(file: string, scope: "user" | "project" = "user"): Promise<void> {
  const absolute = path.resolve(file);
  try {
    await stat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new WrenError("config_invalid", `${absolute}: does not exist. Check the path.`, { hint: "`wren config path` shows where wren's config directory is." });
  }
  await readPermissionRules(absolute, scope);
  const { problem } = await loadTheme(absolute);
  if (problem !== undefined) throw problem;
}

/**
 * `wren config validate` without FILE: the settings files a session started in `cwd` reads (the
 * user's, the project's unless it is the user's own), each as {@link checkSettingsFile} checks it
 * with the scope a run reads it with; a missing one is fine.
 */
export async function checkSettingsFiles(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { user, project } = settingsFilesFor(cwd, env);
  for (const [file, scope] of [[user, "user"], [project, "project"]] as const) {
    if (file === undefined) continue;
    const there = await stat(file).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? false : Promise.reject(error)),
    );
    if (there) await checkSettingsFile(file, scope);
  }
}
