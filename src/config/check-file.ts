import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { Env } from "../shared/paths.js";
import { safeParseWith } from "../shared/zod-parse.js";
import { createConfigSchema, type JsonSchemaNode } from "./config-schema.js";
import { formatIssues } from "./format-issues.js";
import { sectionContext } from "./load-config.js";
import type { ConfigProblem } from "./problem.js";
import { readTomlFile } from "./read-toml.js";
import { tildify } from "./tildify.js";

export interface CheckFileOptions {
  /** Default `process.env` (only for the machine-dependent defaults). */
  env?: Env;
  /** Default `os.homedir()`. */
  home?: string;
  /** Default `os.availableParallelism()`. */
  availableParallelism?: number;
}

/** Checks one config file on its own: TOML syntax, then the schema. Returns every problem found. */
export async function checkConfigFile(file: string, options: CheckFileOptions = {}): Promise<ConfigProblem[]> {
  const home = options.home ?? os.homedir();
  const absolute = path.resolve(file);
  const label = tildify(absolute, home);
  const read = await readTomlFile(absolute, label);
  if (!read.ok) return [read.problem];
  if (!read.exists) return [{ origin: label, message: "does not exist. Check the path." }];
  const schema = createConfigSchema(sectionContext({ ...options, home }));
  const json = z.toJSONSchema(schema, { io: "input" }) as JsonSchemaNode;
  const result = safeParseWith(schema, read.values, { reportInput: true });
  return result.success ? [] : formatIssues(result.error.issues, json, () => label);
}
