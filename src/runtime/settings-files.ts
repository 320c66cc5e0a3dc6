import path from "node:path";
import { findProjectRoot } from "../agent/instructions.js";
import { settingsFiles } from "../permissions/project-trust.js";
import type { Env } from "../shared/paths.js";

/**
 * The settings files a session started in `cwd` reads, as its permission rules are loaded: the
 * user's, and its project's (`.wren/settings.toml` at the repository root) unless that is the
 * user's own file.
 */
export function settingsFilesFor(cwd: string, env: Env = process.env): { user: string; project: string | undefined } {
  return settingsFiles({ projectRoot: findProjectRoot(path.resolve(cwd)), env });
}
