import { existsSync, statSync } from "node:fs";
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
  exists: boolean;
  /** True when the caller named the file, so a missing file is an error. */
  explicit: boolean;
}

export interface ConfigFiles {
  user: ConfigFileInfo | undefined;
  project: ConfigFileInfo | undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The nearest `wren.toml` in `cwd` or an ancestor of it, if any. */
export function findProjectFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, PROJECT_FILE_NAME);
    if (isFile(candidate)) return candidate;
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
    user = { path: file, exists: existsSync(file), explicit: options.userFile !== undefined };
  }
  let project: ConfigFileInfo | undefined;
  if (options.projectFile !== undefined && options.projectFile !== false) {
    const file = path.resolve(cwd, options.projectFile);
    project = { path: file, exists: existsSync(file), explicit: true };
  } else if (options.projectFile === undefined) {
    const found = findProjectFile(cwd);
    if (found !== undefined) project = { path: found, exists: true, explicit: false };
  }
  return { user, project };
}
