import { lstatSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolvePaths, type Env } from "../shared/paths.js";

export const PROJECT_FILE_NAME = "wren.toml";

/** Where to look for config files. */
export interface LocateOptions {
  /** Directory the project file is searched from (it or its nearest ancestor). Default `process.cwd()`. */
  cwd?: string;
  /** Environment for XDG/WREN_HOME lookups. Default `process.env`. */
  env?: Env;
  /** Home directory. Default `os.homedir()`. */
  home?: string;
  /** User config file to read instead of the XDG one; `false` reads none. */
  userFile?: string | false;
  /** Project file to read instead of searching for `wren.toml`; `false` reads none. */
  projectFile?: string | false;
}

export interface ConfigFileInfo {
  path: string;
  /** Something is at `path` (possibly not a readable file: reading it says what is wrong). */
  exists: boolean;
  /** True when the caller named the file, so a missing file is an error. */
  explicit: boolean;
}

export interface ConfigFiles {
  user: ConfigFileInfo | undefined;
  project: ConfigFileInfo | undefined;
}

/**
 * True when anything is at `file`: a file, but also a directory, a symbolic link (even one that
 * loops or points nowhere) or an entry this user may not read. Those are errors for the reader to
 * report with the file's name; skipping them would silently read some other file instead.
 */
export function configEntryExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The nearest `wren.toml` in `cwd` or an ancestor of it, if any (whatever it is: see `configEntryExists`). */
export function findProjectFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, PROJECT_FILE_NAME);
    if (configEntryExists(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The user and project config files wren reads, and whether each exists. Reads no file. */
export function locateConfigFiles(options: LocateOptions = {}): ConfigFiles {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  let user: ConfigFileInfo | undefined;
  if (options.userFile !== false) {
    const file =
      options.userFile === undefined ? resolvePaths(env, home).configFile : path.resolve(cwd, options.userFile);
    user = { path: file, exists: configEntryExists(file), explicit: options.userFile !== undefined };
  }
  let project: ConfigFileInfo | undefined;
  if (options.projectFile !== undefined && options.projectFile !== false) {
    const file = path.resolve(cwd, options.projectFile);
    project = { path: file, exists: configEntryExists(file), explicit: true };
  } else if (options.projectFile === undefined) {
    const found = findProjectFile(cwd);
    if (found !== undefined) project = { path: found, exists: true, explicit: false };
  }
  return { user, project };
}
