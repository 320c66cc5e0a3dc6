import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { configShape } from "./config-shape.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { safeParseWith } from "../shared/zod-parse.js";
import { createConfigSchema, type ConfigSchema, type JsonSchemaNode, type WrenConfig } from "./config-schema.js";
import { readEnvLayer } from "./env-layer.js";
import { readFlagLayer } from "./flag-layer.js";
import { formatIssues } from "./format-issues.js";
import { locateConfigFiles, type ConfigFileInfo, type ConfigFiles, type LocateOptions } from "./locate.js";
import { joinKeyPath } from "./key-path.js";
import { mergeLayer, withoutOverridden } from "./merge-layers.js";
import { configError, type ConfigProblem } from "./problem.js";
import { projectLimitProblems } from "./project-limits.js";
import { readTomlFile } from "./read-toml.js";
import { resolvePathKeys } from "./resolve-paths.js";
import { isNamedEntries, nodeAt, typesOf } from "./schema-walk.js";
import type { SectionContext } from "./sections/context.js";
import { tildify } from "./tildify.js";
import { getPath, isPlainObject, leafPaths, withoutKeys, type Tree } from "./tree.js";

/** The layers, lowest first: each overrides the ones before it. */
export const CONFIG_LAYERS = ["default", "user", "project", "env", "flag"] as const;
export type ConfigLayer = (typeof CONFIG_LAYERS)[number];

/** Where one key of the effective config came from. */
export interface ConfigSource {
  /**
   * Dotted key path, e.g. `engine.gpu` or `models.aliases.tiny`; a name that is not a TOML bare key
   * is quoted as TOML quotes it, `router.prices."openai:gpt-4.1".input` (`parseKeyPath` reads it).
   */
  key: string;
  layer: ConfigLayer;
  /** The file's absolute path, the variable's name, the flag as typed, or `default`. */
  origin: string;
}

export interface LoadConfigOptions extends LocateOptions {
  /**
   * CLI flags as dotted keys, `{"engine.gpu": "cpu", "server.port": 8080}`. `undefined` values are
   * flags not given. Strings are coerced to the schema's types like environment variables.
   */
  flags?: Readonly<Record<string, unknown>>;
  /** How each flag is shown in errors, e.g. `{"engine.gpu": "--gpu"}`. Default `--<dotted key>`. */
  flagLabels?: Readonly<Record<string, string>>;
  /** Threads the machine can run at once. Default `os.availableParallelism()`. */
  availableParallelism?: number;
}

export interface LoadedConfig {
  config: WrenConfig;
  /** One entry per leaf key of `config` (lists and values are leaves, tables are descended). */
  sources: ConfigSource[];
  /** The config files considered, and whether each exists. */
  files: ConfigFiles;
}

interface Layer {
  layer: ConfigLayer;
  values: Tree;
  /** Names the origin of a key path within this layer. */
  originOf: (keyPath: readonly (string | number)[]) => string;
  /** Directory relative paths in this layer are relative to. */
  baseDir: string;
  /** The file's absolute path, for file layers. */
  file?: string;
}

/** The machine facts the schema depends on, for `options`. */
export function sectionContext(options: { env?: Env; home?: string; availableParallelism?: number } = {}): SectionContext {
  return {
    availableParallelism: options.availableParallelism ?? os.availableParallelism(),
    modelsDir: resolvePaths(options.env ?? process.env, options.home ?? os.homedir()).modelsDir,
  };
}

/**
 * How the config schema parses a layer. zod compiles a fast path (generated code) for each object
 * schema on its first parse, which pays off over many parses; a process parses its config a few
 * times at start-up, where compiling the schema's dozens of objects cost more than it saved.
 */
const PARSE_OPTIONS = { reportInput: true, jitless: true } as const;

function originFromMap(origins: Map<string, string>, fallback: string) {
  return (keyPath: readonly (string | number)[]): string => {
    for (let n = keyPath.length; n > 0; n--) {
      const origin = origins.get(keyPath.slice(0, n).join("."));
      if (origin !== undefined) return origin;
    }
    return fallback;
  };
}

function checkLayer(schema: ConfigSchema, json: () => JsonSchemaNode, layer: Layer): ConfigProblem[] {
  const result = safeParseWith(schema, layer.values, PARSE_OPTIONS);
  const source = layer.layer === "env" || layer.layer === "flag" ? layer.layer : "file";
  return result.success ? [] : formatIssues(result.error.issues, json(), layer.originOf, source);
}

/**
 * The keys a variable or flag replaces although it could not be read: its key, unless the key is a
 * table (a record such as `models.aliases`), which the layers merge name by name. What a layer
 * could read replaces what it covers in the layers below as the layers merge (`withoutOverridden`).
 */
function unreadKeys(read: { problems: readonly ConfigProblem[] }, shape: JsonSchemaNode): string[] {
  return read.problems.flatMap((p) => {
    const node = p.key === undefined ? undefined : nodeAt(shape, p.key.split("."));
    return p.key === undefined || node === undefined || typesOf(node).includes("object") ? [] : [p.key];
  });
}

async function readFileLayer(
  info: ConfigFileInfo,
  layer: "user" | "project",
  home: string,
  problems: ConfigProblem[],
): Promise<Layer | undefined> {
  const label = tildify(info.path, home);
  if (!info.exists) {
    if (info.explicit) {
      problems.push({ origin: label, message: "does not exist. Check the path, or create the file." });
    }
    return undefined;
  }
  const read = await readTomlFile(info.path, label);
  if (!read.ok) {
    problems.push(read.problem);
    return undefined;
  }
  if (!read.exists) return undefined;
  return { layer, values: read.values, originOf: () => label, baseDir: path.dirname(info.path), file: info.path };
}

/**
 * Loads the effective configuration: defaults < user file < project file < environment < flags,
 * each layer overriding the ones below it. Every layer is checked on its own, so each problem
 * names the file, variable or flag it came from; all problems are reported together in one
 * WrenError("config_invalid"). A value for a key that a layer above sets is not checked: the
 * user file's under the project file, a file's under a variable or flag, a variable's under a
 * flag. It would not count.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const schema = createConfigSchema(sectionContext({ ...options, env, home }));
  // The exact JSON Schema (with this machine's defaults and bounds) only when a message quotes it.
  let exact: JsonSchemaNode | undefined;
  const json = (): JsonSchemaNode => (exact ??= z.toJSONSchema(schema, { io: "input" }) as JsonSchemaNode);
  const shape = configShape(json);
  const files = locateConfigFiles({ ...options, env, home, cwd });
  const problems: ConfigProblem[] = [];
  const layers: Layer[] = [];

  const flags = options.flags ?? {};
  // A flag overrides the variable for its key: only the flag's value counts, and only its problems are reported.
  const flagged = new Set(Object.keys(flags).filter((key) => flags[key] !== undefined));
  const envLayer = readEnvLayer(env, shape, flagged);
  const flagLayer = readFlagLayer(flags, shape, options.flagLabels);
  // Likewise a variable or flag overrides a file's value for its key, even when its own value is bad.
  const unread = [...unreadKeys(envLayer, shape), ...unreadKeys(flagLayer, shape)];
  /** A file's values less what the layers above it replace, exactly as the layers merge. */
  const effective = (values: Tree, above: readonly Tree[]): Tree =>
    above.reduce((left, over) => withoutOverridden(left, over, shape), withoutKeys(values, unread));

  const readFile = async (info: ConfigFileInfo, name: "user" | "project") => {
    const found: ConfigProblem[] = [];
    return { layer: await readFileLayer(info, name, home, found), problems: found };
  };
  const addLayer = (layer: Layer) => {
    problems.push(...checkLayer(schema, json, layer));
    layers.push(layer);
  };
  const user = files.user === undefined ? undefined : await readFile(files.user, "user");
  const project = files.project === undefined ? undefined : await readFile(files.project, "project");
  // The project file overrides the user file as variables and flags override both.
  const above = [envLayer.values, flagLayer.values];
  for (const [read, over] of [
    [user, project?.layer === undefined ? above : [project.layer.values, ...above]],
    [project, above],
  ] as const) {
    if (read === undefined) continue;
    problems.push(...read.problems);
    if (read.layer === undefined) continue;
    const values = effective(read.layer.values, over);
    const before = problems.length;
    addLayer({ ...read.layer, values });
    // What a project file may not set is judged once its values are of the right types.
    if (read.layer.layer === "project" && problems.length === before) {
      const userFile = tildify(files.user?.path ?? resolvePaths(env, home).configFile, home);
      const defaultOf = (keyPath: readonly string[]) => nodeAt(shape, keyPath)?.default;
      problems.push(...projectLimitProblems({ values, user: user?.layer?.values ?? {}, run: above, defaultOf, origin: read.layer.originOf([]), userFile }));
    }
  }

  problems.push(...envLayer.problems);
  addLayer({ layer: "env", values: envLayer.values, originOf: originFromMap(envLayer.origins, "environment"), baseDir: cwd });
  problems.push(...flagLayer.problems);
  addLayer({ layer: "flag", values: flagLayer.values, originOf: originFromMap(flagLayer.origins, "flags"), baseDir: cwd });

  if (problems.length > 0) throw configError(problems);

  let merged: Tree = {};
  // Each file holds only what the layers above leave of it (`effective`), so no key of an entry a
  // layer above replaces whole is credited to the file.
  const sourceByKey = new Map<string, ConfigSource>();
  for (const layer of layers) {
    const resolved = resolvePathKeys(layer.values, shape, layer.baseDir, home);
    merged = mergeLayer(merged, resolved, shape);
    for (const keyPath of leafPaths(resolved)) {
      if (setsNothing(resolved, keyPath, shape)) continue;
      const key = joinKeyPath(keyPath);
      sourceByKey.set(key, { key, layer: layer.layer, origin: layer.file ?? layer.originOf(keyPath) });
    }
  }
  const result = safeParseWith(schema, merged, PARSE_OPTIONS);
  if (!result.success) throw configError(formatIssues(result.error.issues, json(), () => "the combined configuration"));

  const sources = leafPaths(result.data).map((keyPath): ConfigSource => {
    for (let n = keyPath.length; n > 0; n--) {
      const found = sourceByKey.get(joinKeyPath(keyPath.slice(0, n)));
      if (found !== undefined) return { ...found, key: joinKeyPath(keyPath) };
    }
    return { key: joinKeyPath(keyPath), layer: "default", origin: "default" };
  });
  return { config: result.data, sources, files };
}

/**
 * Whether the leaf at `keyPath` is an empty table that merges key by key (a section such as
 * `[server]`, or a table of named entries such as `[models.aliases]`): it changes nothing, so no key
 * under it is the layer's (`wren config unset` leaves such a header behind). An empty named entry
 * (`[router.targetTimeouts."openai:x"]`) does count: it replaces the entry of that name whole.
 */
function setsNothing(values: Tree, keyPath: readonly string[], shape: JsonSchemaNode): boolean {
  const value = getPath(values, keyPath);
  if (!isPlainObject(value) || Object.keys(value).length > 0) return false;
  return !isNamedEntries(nodeAt(shape, keyPath.slice(0, -1)));
}

/**
 * The configuration with nothing but defaults, for tests and embedders that read no files.
 * Overrides are checked like any layer.
 */
export function defaultConfig(
  options: { env?: Env; home?: string; availableParallelism?: number } = {},
  overrides: Tree = {},
): WrenConfig {
  const schema = createConfigSchema(sectionContext(options));
  const result = safeParseWith(schema, overrides, PARSE_OPTIONS);
  if (result.success) return result.data;
  const json = z.toJSONSchema(schema, { io: "input" }) as JsonSchemaNode;
  throw configError(formatIssues(result.error.issues, json, () => "overrides"));
}
