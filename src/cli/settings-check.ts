import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../config/load-config.js";
import { configError, type ConfigProblem } from "../config/problem.js";
import { tildify } from "../config/tildify.js";
import { permissionSettings, readSettingsToml } from "../permissions/settings-file.js";
import { settingsFilesFor } from "../runtime/settings-files.js";
import { WrenError } from "../shared/errors.js";
import { uiProblems } from "./tui/theme-settings.js";

/**
 * Every problem of one settings.toml as a run reads it (`scope`: whose rules a run reads there): a
 * file wren cannot read or parse, its sections (a misspelt or unknown one), its `[permissions]`
 * rules and its `[ui]` theme, all of them at once, as config.toml's are. A missing file has none.
 */
export async function settingsFileProblems(file: string, scope: "user" | "project" = "user", home: string = os.homedir()): Promise<ConfigProblem[]> {
  const absolute = path.resolve(file);
  const origin = tildify(absolute, home);
  let values: Record<string, unknown> | undefined;
  try {
    values = await readSettingsToml(absolute);
  } catch (error) {
    if (!(error instanceof WrenError)) throw error;
    const { line, column } = error.details ?? {};
    const where = typeof line === "number" && typeof column === "number" ? `:${line}:${column}` : "";
    const reason = typeof error.details?.reason === "string" ? `TOML syntax error: ${error.details.reason}.` : error.message.replace(`${absolute} `, "");
    return [{ origin: `${origin}${where}`, message: reason }];
  }
  if (values === undefined) return [];
  const problems = [...permissionSettings(values, scope).problems, ...uiProblems(values)];
  return problems.map(({ key, message, about }) => ({ origin, key, message, about: about ?? "key" }));
}

/**
 * `wren config validate FILE` for a settings.toml: {@link settingsFileProblems}, refused as one
 * `config_invalid` error listing every problem; a missing file is one. Returns when the file is good.
 */
export async function checkSettingsFile(file: string, scope: "user" | "project" = "user"): Promise<void> {
  const absolute = path.resolve(file);
  const there = await stat(absolute).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? false : Promise.reject(error)),
  );
  const problems = there ? await settingsFileProblems(absolute, scope) : [{ origin: tildify(absolute, os.homedir()), message: "does not exist. Check the path." }];
  if (problems.length > 0) throw configError(problems);
}

/**
 * The problems of the settings files a session started in `cwd` reads (the user's, the project's
 * unless it is the user's own), each file's as {@link settingsFileProblems} finds them with the
 * scope a run reads it with; a missing one is fine.
 */
export async function settingsFilesProblems(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ConfigProblem[]> {
  const { user, project } = settingsFilesFor(cwd, env);
  const problems: ConfigProblem[] = [];
  for (const [file, scope] of [[user, "user"], [project, "project"]] as const) {
    if (file !== undefined) problems.push(...(await settingsFileProblems(file, scope)));
  }
  return problems;
}

/** `wren config validate` without FILE, for the settings files: every problem of both at once, or nothing. */
export async function checkSettingsFiles(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const problems = await settingsFilesProblems(cwd, env);
  if (problems.length > 0) throw configError(problems);
}

/**
 * `wren config validate` without FILE: the configuration a run in `cwd` loads (config.toml, the
 * project's wren.toml, `WREN_*` variables) and the settings files it reads, every problem of all of
 * them in one `config_invalid` error. Returns when all are good.
 */
export async function checkRunConfiguration(cwd: string, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): Promise<void> {
  const problems: ConfigProblem[] = [];
  try {
    await loadConfig({ cwd, env, home });
  } catch (error) {
    const listed = error instanceof WrenError && error.code === "config_invalid" ? error.details?.problems : undefined;
    if (!Array.isArray(listed)) throw error;
    problems.push(...(listed as ConfigProblem[]));
  }
  problems.push(...(await settingsFilesProblems(cwd, env)));
  if (problems.length > 0) throw configError(problems);
}
