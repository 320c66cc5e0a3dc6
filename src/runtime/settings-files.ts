import path from "node:path";
import { findProjectRoot } from "../agent/instructions.js";
import { projectSettingsFile, userSettingsFile } from "../permissions/settings-file.js";
import type { Env } from "../shared/paths.js";

/**
 * The settings files a session started in `cwd` reads: the user's, then its project's
 * (`.wren/settings.toml` at the repository root), once where they are the same file.
 */
export function settingsFilesFor(cwd: string, env: Env = process.env): string[] {
  const user = userSettingsFile(env);
  const project = projectSettingsFile(findProjectRoot(path.resolve(cwd)));
  return project === user ? [user] : [user, project];
}
