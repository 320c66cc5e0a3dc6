import path from "node:path";
import { stringify } from "smol-toml";
import { checkConfigFile, configError, locateConfigFiles } from "../../config/index.js";
import { readTomlFile } from "../../config/read-toml.js";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { WrenError } from "../../shared/errors.js";

/** The user config file `wren setup` edits, and what it holds now. */
export interface UserConfigFile {
  path: string;
  exists: boolean;
  values: Record<string, unknown>;
}

/** Reads the user config file (none yet is fine; one that cannot be read is an error saying why). */
export async function readUserConfig(env: NodeJS.ProcessEnv = process.env): Promise<UserConfigFile> {
  const user = locateConfigFiles({ env, projectFile: false }).user;
  if (user === undefined) throw new WrenError("internal", "wren found no place for a user config file.");
  const read = await readTomlFile(user.path, user.path);
  if (!read.ok) throw configError([read.problem]);
  return { path: user.path, exists: read.exists, values: read.exists ? read.values : {} };
}

/**
 * Writes the user config file: checked against the config schema first (a file that would not load
 * is never written), then moved into place in one step. The file may hold API keys, so it is
 * readable by its owner only (mode 0600; Windows keeps it in the user's profile instead).
 */
export async function writeUserConfig(file: string, values: Record<string, unknown>): Promise<void> {
  const header = "# Written by `wren setup`; run it again to change these settings. Holds API keys: keep it private.\n";
  const check = async (temporary: string): Promise<void> => {
    const problems = await checkConfigFile(temporary);
    // Name the file the person knows, not the temporary one beside it.
    if (problems.length > 0) throw configError(problems.map((p) => ({ ...p, origin: p.origin.replace(path.basename(temporary), path.basename(file)) })));
  };
  await writeFileAtomic(file, header + stringify(values) + "\n", { mode: 0o600, beforeRename: check });
}
