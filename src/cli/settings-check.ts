import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../config/load-config.js";
import { configError, type ConfigProblem } from "../config/problem.js";
import { tildify } from "../config/tildify.js";
import { projectKey } from "../permissions/project-trust.js";
import { permissionSettings, readSettingsToml, userSettingsFile } from "../permissions/settings-file.js";
import { settingsFilesFor } from "../runtime/settings-files.js";
import { WrenError } from "../shared/errors.js";
import { uiProblems } from "./tui/theme-settings.js";

/** What `wren config validate` found in settings files: every problem, and notes that are none. */
export interface SettingsCheck {
  problems: ConfigProblem[];
  /** Things to know that make no file wrong: a project's `[ui]`, which is not read. */
  notes: string[];
}

/**
 * Every problem of one settings.toml as a run reads it (`scope`: whose file it is): a file wren
 * cannot read or parse, its sections (a misspelt or unknown one), its `[permissions]` rules and, in
 * the user's file, its `[ui]` theme, all of them at once, as config.toml's are. A project's `[ui]`
 * is not read (a repository does not choose the user's colours), so it is a note, not judged. A
 * missing file has none.
 */
export async function inspectSettingsFile(file: string, scope: "user" | "project", env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): Promise<SettingsCheck> {
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
    return { problems: [{ origin: `${origin}${where}`, message: reason }], notes: [] };
  }
  if (values === undefined) return { problems: [], notes: [] };
  const found = [...permissionSettings(values, scope).problems, ...(scope === "user" ? uiProblems(values) : [])];
  const problems = found.map(({ key, message, about }): ConfigProblem => ({ origin, key, message, about: about ?? "key" }));
  const notes =
    scope === "project" && "ui" in values
      ? [`${origin}: [ui] is not read from a project's settings file: the theme and colours are yours to choose, in the settings.toml of wren's config directory (${tildify(userSettingsFile(env, home), home)}).`]
      : [];
  return { problems, notes };
}

/**
 * Whose a settings.toml named on the command line is: a project's when it is `.wren/settings.toml`
 * in a folder other than wren's config directory, else the user's.
 */
function scopeOf(file: string, env: NodeJS.ProcessEnv): "user" | "project" {
  const folder = path.dirname(path.resolve(file));
  if (path.basename(folder) !== ".wren") return "user";
  return projectKey(folder) === projectKey(path.dirname(userSettingsFile(env))) ? "user" : "project";
}

/**
 * `wren config validate FILE` for a settings.toml: {@link inspectSettingsFile} (`scope`: by default
 * as {@link scopeOf} says), refused as one `config_invalid` error listing every problem; a missing
 * file is one. Returns the notes when the file is good.
 */
export async function checkSettingsFile(file: string, scope?: "user" | "project", env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const absolute = path.resolve(file);
  const there = await stat(absolute).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? false : Promise.reject(error)),
  );
  if (!there) throw configError([{ origin: tildify(absolute, os.homedir()), message: "does not exist. Check the path." }]);
  const { problems, notes } = await inspectSettingsFile(absolute, scope ?? scopeOf(absolute, env), env);
  if (problems.length > 0) throw configError(problems);
  return notes;
}

/**
 * What the settings files a session started in `cwd` reads (the user's, the project's unless it is
 * the user's own) hold, each file's as {@link inspectSettingsFile} finds it with the scope a run
 * reads it with; a missing one is fine.
 */
export async function inspectSettingsFiles(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<SettingsCheck> {
  const { user, project } = settingsFilesFor(cwd, env);
  const found: SettingsCheck = { problems: [], notes: [] };
  for (const [file, scope] of [[user, "user"], [project, "project"]] as const) {
    if (file === undefined) continue;
    const { problems, notes } = await inspectSettingsFile(file, scope, env);
    found.problems.push(...problems);
    found.notes.push(...notes);
  }
  return found;
}

/** `wren config validate` without FILE, for the settings files: every problem of both at once; the notes when there is none. */
export async function checkSettingsFiles(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const { problems, notes } = await inspectSettingsFiles(cwd, env);
  if (problems.length > 0) throw configError(problems);
  return notes;
}

/**
 * `wren config validate` without FILE: the configuration a run in `cwd` loads (config.toml, the
 * project's wren.toml, `WREN_*` variables) and the settings files it reads, every problem of all of
 * them in one `config_invalid` error. Returns the settings files' notes when all are good.
 */
export async function checkRunConfiguration(cwd: string, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): Promise<string[]> {
  const problems: ConfigProblem[] = [];
  try {
    await loadConfig({ cwd, env, home });
  } catch (error) {
    const listed = error instanceof WrenError && error.code === "config_invalid" ? error.details?.problems : undefined;
    if (!Array.isArray(listed)) throw error;
    problems.push(...(listed as ConfigProblem[]));
  }
  const settings = await inspectSettingsFiles(cwd, env);
  problems.push(...settings.problems);
  if (problems.length > 0) throw configError(problems);
  return settings.notes;
}
