import { parse } from "smol-toml";
import { WrenError } from "../shared/errors.js";
import { safeParseWith } from "../shared/zod-parse.js";
import { coerceString } from "./coerce.js";
import { configJsonSchema, type ConfigSchema, type JsonSchemaNode } from "./config-schema.js";
import { formatIssues } from "./format-issues.js";
import { loadConfig, sectionContext, type ConfigSource, type LoadConfigOptions } from "./load-config.js";
import { joinKeyPath, parseKeyPath } from "./key-path.js";
import type { ConfigProblem } from "./problem.js";
import { typeText } from "./render-docs.js";
import { keysOf, leafKeys, nodeAt } from "./schema-walk.js";
import { closest } from "./suggest.js";
import { getPath, setPath } from "./tree.js";

/** A key as `wren config get | set | unset KEY` name it: a value or a table of the schema. */
export interface ConfigKey {
  path: string[];
  /** The path as TOML's dotted keys write it (`models.aliases."qwen2.5"`). */
  name: string;
  node: JsonSchemaNode;
}

/** The key the user most likely meant: a typo fixed in the part that names nothing, or the nearest whole key. */
function suggestKey(keyPath: readonly string[], schema: JsonSchemaNode): string | undefined {
  for (let i = 0; i < keyPath.length; i++) {
    const here = nodeAt(schema, keyPath.slice(0, i));
    if (nodeAt(schema, keyPath.slice(0, i + 1)) !== undefined) continue;
    const fixed = closest(keyPath[i]!, keysOf(here));
    if (fixed !== undefined) {
      const whole = [...keyPath.slice(0, i), fixed, ...keyPath.slice(i + 1)];
      if (nodeAt(schema, whole) !== undefined) return joinKeyPath(whole);
    }
    break;
  }
  const leaves = leafKeys(schema).map((leaf) => joinKeyPath(leaf.path));
  const tables = Object.keys(schema.properties ?? {});
  // A key written without its section (`gpu` for `engine.gpu`).
  const placed = keyPath.length === 1 ? leaves.find((leaf) => leaf.endsWith(`.${joinKeyPath(keyPath)}`)) : undefined;
  return placed ?? closest(joinKeyPath(keyPath), [...tables, ...leaves]);
}

/**
 * Reads KEY for `wren config get | set | unset`. A key the schema does not have is a
 * WrenError("bad_request") with the nearest key that it does have.
 */
export function resolveConfigKey(text: string, schema: JsonSchemaNode): ConfigKey {
  const path = parseKeyPath(text);
  const node = nodeAt(schema, path);
  if (node !== undefined) return { path, name: joinKeyPath(path), node };
  const suggestion = suggestKey(path, schema);
  throw new WrenError("bad_request", `${joinKeyPath(path)} is not a wren setting.${suggestion === undefined ? "" : ` Did you mean ${suggestion}?`}`, {
    hint: "`wren config show` lists every key; docs/configuration.md describes each one.",
  });
}

const isPrefix = (prefix: readonly PropertyKey[], path: readonly PropertyKey[]) =>
  prefix.length <= path.length && prefix.every((part, n) => path[n] === part);

/**
 * VALUE for `wren config set KEY VALUE`: a string turned into the key's type as environment
 * variables are (numbers, true/false, comma lists, JSON for tables), then checked against the
 * schema. A value the key does not take is a WrenError("bad_request") saying what it takes.
 */
export function configValue(key: ConfigKey, raw: string, schema: ConfigSchema, json: JsonSchemaNode): unknown {
  const takes = `${key.name} takes ${typeText(key.node).replace(/`/g, "")}`;
  const coerced = coerceString(raw, key.node);
  if (!coerced.ok) throw new WrenError("bad_request", `${key.name}: ${JSON.stringify(raw)} ${coerced.message}`, { hint: `${takes}. Nothing was written.` });
  const tree = {};
  setPath(tree, key.path, coerced.value);
  const result = safeParseWith(schema, tree, { reportInput: true });
  // Only this key's problems: a rule between keys is checked with the whole file, once it is edited.
  const issues = result.success ? [] : result.error.issues.filter((issue) => isPrefix(key.path, issue.path));
  if (issues.length > 0) {
    const problems = formatIssues(issues, json, () => "VALUE");
    throw new WrenError("bad_request", problems.map((p) => `${p.key ?? key.name}: ${p.message}`).join("\n"), { hint: `${takes}. Nothing was written.` });
  }
  return coerced.value;
}

/** Every problem of a config file's text against the schema (a TOML syntax error is one). */
export function checkConfigText(text: string, label: string, schema: ConfigSchema, json: JsonSchemaNode): ConfigProblem[] {
  let values: Record<string, unknown>;
  try {
    values = parse(text);
  } catch (error) {
    return [{ origin: label, message: `is not valid TOML: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}` }];
  }
  const result = safeParseWith(schema, values, { reportInput: true });
  return result.success ? [] : formatIssues(result.error.issues, json, () => label);
}

/**
 * `wren config get KEY`: the key's effective value (every layer merged, defaults filled in), or
 * undefined when it is not set and has no default, with the sources of the values under it.
 */
export async function getConfigKey(text: string, options: LoadConfigOptions = {}): Promise<{ key: ConfigKey; value: unknown; sources: ConfigSource[] }> {
  const key = resolveConfigKey(text, configJsonSchema(sectionContext(options)));
  const { config, sources } = await loadConfig(options);
  const value = getPath(config, key.path);
  return { key, value, sources: sources.filter((s) => s.key === key.name || s.key.startsWith(`${key.name}.`)) };
}
