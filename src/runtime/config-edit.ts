import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "smol-toml";
import { z } from "zod";
import { findProjectRoot } from "../agent/index.js";
import {
  checkConfigText,
  configValue,
  createConfigSchema,
  findProjectFile,
  formatProblem,
  loadConfig,
  PROJECT_FILE_NAME,
  projectFileLimitProblems,
  resolveConfigKey,
  sectionContext,
  setTomlKey,
  tildify,
  unsetTomlKey,
  type ConfigKey,
  type ConfigSource,
  type JsonSchemaNode,
} from "../config/index.js";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths, type Env } from "../shared/paths.js";

/** Which config file `wren config set | unset` change. */
export type ConfigFileScope = "user" | "project";

export interface ConfigEditOptions {
  /** Default `user`: the user config file; `project`: the project's `wren.toml`. */
  scope?: ConfigFileScope;
  /** Default `process.cwd()`: where the project file is searched from. */
  cwd?: string;
  /** Default `process.env` (`XDG_CONFIG_HOME`, `WREN_HOME`). */
  env?: Env;
  /** Default `os.homedir()`. */
  home?: string;
}

export interface ConfigEditResult {
  /** The file changed (or that would have been, when `changed` is false). */
  file: string;
  key: ConfigKey;
  /** False when the file already held the value: nothing was written. */
  changed: boolean;
  /** A layer above the file that sets the key, so the change does not take effect here. */
  overriddenBy?: Pick<ConfigSource, "layer" | "origin">;
}

/** The user's config file, or the project's `wren.toml` (the nearest one, else a new one at the project root). */
export function configFileFor(scope: ConfigFileScope, options: { cwd?: string; env?: Env; home?: string } = {}): string {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (scope === "user") return resolvePaths(options.env ?? process.env, options.home ?? os.homedir()).configFile;
  return findProjectFile(cwd) ?? path.join(findProjectRoot(cwd), PROJECT_FILE_NAME);
}

interface Target {
  scope: ConfigFileScope;
  /** The path the user knows (a link is written through to its file). */
  file: string;
  label: string;
  text: string;
  exists: boolean;
}

async function readTarget(options: ConfigEditOptions): Promise<Target> {
  const scope = options.scope ?? "user";
  const file = configFileFor(scope, options);
  const label = tildify(file, options.home ?? os.homedir());
  try {
    return { scope, file, label, text: await readFile(file, "utf8"), exists: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { scope, file, label, text: "", exists: false };
    const reason = error instanceof Error ? error.message : String(error);
    throw new WrenError("bad_request", `${label} cannot be read (${reason}), so wren will not change it.`, { hint: "`wren config validate` says what is wrong with it." });
  }
}

/**
 * Replaces the file in one step, through a link (writeFileAtomic). The user file may hold API keys,
 * so it is its owner's alone (0600); a project file keeps its mode.
 */
async function writeTarget(target: Target, text: string): Promise<void> {
  await writeFileAtomic(target.file, text, target.scope === "user" ? { mode: 0o600 } : {});
}

function schemaFor(options: ConfigEditOptions) {
  const schema = createConfigSchema(sectionContext(options));
  return { schema, json: z.toJSONSchema(schema, { io: "input" }) as JsonSchemaNode };
}

/** Refuses an edit that would leave the file with a problem it did not have. */
function checkEdit(target: Target, next: string, key: ConfigKey, { schema, json }: ReturnType<typeof schemaFor>): void {
  const before = new Set(checkConfigText(target.text, target.label, schema, json).map(formatProblem));
  const added = checkConfigText(next, target.label, schema, json).filter((p) => !before.has(formatProblem(p)));
  if (added.length === 0) return;
  throw new WrenError("config_invalid", `Changing ${key.name} would make ${target.label} invalid, so it is unchanged:\n${added.map((p) => `  ${formatProblem(p)}`).join("\n")}\n`, {
    hint: "Fix those keys first (`wren config set` or by hand), then run the command again.",
  });
}

/**
 * Refuses an edit of a project's `wren.toml` that sets what a project file may not (a server open
 * beyond loopback, another models folder, …): written, it would stop every command run in the
 * project from loading its configuration.
 */
async function checkProjectLimits(target: Target, next: string, key: ConfigKey, raw: string, options: ConfigEditOptions): Promise<void> {
  const limits = async (text: string) => {
    try {
      return (await projectFileLimitProblems(parse(text), target.label, options)).map(formatProblem);
    } catch {
      return [];
    }
  };
  const before = new Set(await limits(target.text));
  const added = (await limits(next)).filter((problem) => !before.has(problem));
  if (added.length === 0) return;
  throw new WrenError("config_invalid", `Changing ${key.name} would make ${target.label} a file wren refuses to load, so it is unchanged:\n${added.map((p) => `  ${p}`).join("\n")}\n`, {
    hint: `To set it for yourself, in your user config file: wren config set ${key.name} ${JSON.stringify(raw)}`,
  });
}

/** The layer above the file's own that sets `key` in the effective configuration, if any. */
async function overridingLayer(key: ConfigKey, scope: ConfigFileScope, options: ConfigEditOptions): Promise<ConfigEditResult["overriddenBy"]> {
  try {
    const { sources } = await loadConfig({ ...options, cwd: options.cwd ?? process.cwd() });
    const mine = sources.find((s) => s.key === key.name || s.key.startsWith(`${key.name}.`));
    const above = scope === "user" ? ["project", "env"] : ["env"];
    return mine !== undefined && above.includes(mine.layer) ? { layer: mine.layer, origin: mine.origin } : undefined;
  } catch {
    // A configuration that does not load says so on its next use; the edit itself is done.
    return undefined;
  }
}

/**
 * `wren config set KEY VALUE`: VALUE coerced to KEY's type and checked, then written into the user
 * file (or the project's `wren.toml`) by changing only the text of that key. Nothing is written
 * when the value, the edit or the resulting file is wrong.
 */
export async function setConfigKey(keyText: string, raw: string, options: ConfigEditOptions = {}): Promise<ConfigEditResult & { value: unknown }> {
  const schemas = schemaFor(options);
  const key = resolveConfigKey(keyText, schemas.json);
  const value = configValue(key, raw, schemas.schema, schemas.json);
  const target = await readTarget(options);
  const next = setTomlKey(target.text, key.path, value, target.label);
  const changed = !target.exists || next !== target.text;
  if (changed) {
    checkEdit(target, next, key, schemas);
    if (target.scope === "project") await checkProjectLimits(target, next, key, raw, options);
    await writeTarget(target, next);
  }
  const overriddenBy = await overridingLayer(key, target.scope, options);
  return { file: target.file, key, value, changed, ...(overriddenBy ? { overriddenBy } : {}) };
}

/**
 * `wren config unset KEY`: the key's lines (or its tables) cut from the user file or the project's
 * `wren.toml`. A key the file does not set is a WrenError("not_found") saying where it does come from.
 */
export async function unsetConfigKey(keyText: string, options: ConfigEditOptions = {}): Promise<ConfigEditResult> {
  const schemas = schemaFor(options);
  const key = resolveConfigKey(keyText, schemas.json);
  const target = await readTarget(options);
  const next = unsetTomlKey(target.text, key.path, target.label);
  if (next === undefined) {
    const elsewhere = await setElsewhere(key, options);
    throw new WrenError("not_found", `${key.name} is not set in ${target.label}.`, {
      hint: elsewhere ?? "`wren config show` says where each key comes from.",
    });
  }
  checkEdit(target, next, key, schemas);
  await writeTarget(target, next);
  const overriddenBy = await overridingLayer(key, target.scope, options);
  return { file: target.file, key, changed: true, ...(overriddenBy ? { overriddenBy } : {}) };
}

async function setElsewhere(key: ConfigKey, options: ConfigEditOptions): Promise<string | undefined> {
  try {
    const { sources } = await loadConfig({ ...options, cwd: options.cwd ?? process.cwd() });
    const found = sources.find((s) => (s.key === key.name || s.key.startsWith(`${key.name}.`)) && s.layer !== "default");
    if (found === undefined) return undefined;
    const home = options.home ?? os.homedir();
    if (found.layer === "project") return `It is set in ${tildify(found.origin, home)}: wren config unset ${key.name} --project.`;
    if (found.layer === "user") return `It is set in ${tildify(found.origin, home)}: wren config unset ${key.name} without --project.`;
    return `It comes from ${found.origin}: unset that variable.`;
  } catch {
    return undefined;
  }
}
