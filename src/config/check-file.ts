import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { resolvePaths, type Env } from "../shared/paths.js";
import { safeParseWith } from "../shared/zod-parse.js";
import { configShape } from "./config-shape.js";
import { createConfigSchema, type JsonSchemaNode } from "./config-schema.js";
import { formatIssues } from "./format-issues.js";
import { sectionContext } from "./load-config.js";
import { PROJECT_FILE_NAME } from "./locate.js";
import type { ConfigProblem } from "./problem.js";
import { projectLimitProblems } from "./project-limits.js";
import { readTomlFile } from "./read-toml.js";
import { nodeAt } from "./schema-walk.js";
import { tildify } from "./tildify.js";

export interface CheckFileOptions {
  /** Default `process.env` (only for the machine-dependent defaults). */
  env?: Env;
  /** Default `os.homedir()`. */
  home?: string;
  /** Default `os.availableParallelism()`. */
  availableParallelism?: number;
}

/**
 * Checks one config file on its own: TOML syntax, then the schema, then, for a project file (a
 * `wren.toml` outside wren's config folder), what a project file may not set, against the user
 * config file as loading it would (`project-limits.ts`; variables and flags of a run are not
 * counted). Returns every problem found.
 */
export async function checkConfigFile(file: string, options: CheckFileOptions = {}): Promise<ConfigProblem[]> {
  const home = options.home ?? os.homedir();
  const env = options.env ?? process.env;
  const absolute = path.resolve(file);
  const label = tildify(absolute, home);
  const read = await readTomlFile(absolute, label);
  if (!read.ok) return [read.problem];
  if (!read.exists) return [{ origin: label, message: "does not exist. Check the path." }];
  const schema = createConfigSchema(sectionContext({ ...options, env, home }));
  const json = z.toJSONSchema(schema, { io: "input" }) as JsonSchemaNode;
  const result = safeParseWith(schema, read.values, { reportInput: true });
  if (!result.success) return formatIssues(result.error.issues, json, () => label);
  const { configDir } = resolvePaths(env, home);
  const within = path.relative(configDir, absolute);
  const inConfigDir = within.split(path.sep)[0] !== ".." && !path.isAbsolute(within);
  if (path.basename(absolute) !== PROJECT_FILE_NAME || inConfigDir) return [];
  return projectFileLimitProblems(read.values, label, { ...options, env, home }, json);
}

/**
 * What a project's `wren.toml` holding `values` may not set (`project-limits.ts`), against the user
 * config file as loading it would; variables and flags of a run are not counted. `wren config
 * validate FILE` and `wren config set --project` judge a project file by it.
 */
export async function projectFileLimitProblems(values: Record<string, unknown>, label: string, options: CheckFileOptions = {}, json?: JsonSchemaNode): Promise<ConfigProblem[]> {
  const home = options.home ?? os.homedir();
  const env = options.env ?? process.env;
  const schemaJson = json ?? (z.toJSONSchema(createConfigSchema(sectionContext({ ...options, env, home })), { io: "input" }) as JsonSchemaNode);
  const { configFile } = resolvePaths(env, home);
  const userFile = tildify(configFile, home);
  const user = await readTomlFile(configFile, userFile);
  const shape = configShape(() => schemaJson);
  return projectLimitProblems({
    values,
    user: user.ok && user.exists ? user.values : {},
    defaultOf: (keyPath) => nodeAt(shape, keyPath)?.default,
    origin: label,
    userFile,
  });
}
