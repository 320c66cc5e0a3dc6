import type { Env } from "../shared/paths.js";
import { coerceString } from "./coerce.js";
import type { JsonSchemaNode } from "./config-schema.js";
import type { ConfigProblem } from "./problem.js";
import { leafKeys } from "./schema-walk.js";
import { closest } from "./suggest.js";
import { setPath } from "./tree.js";

/** `contextSize` → `CONTEXT_SIZE`. */
export function toUpperSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The environment variable for a key path: `engine.contextSize` → `WREN_ENGINE_CONTEXT_SIZE`. */
export function envVarName(keyPath: readonly string[]): string {
  return ["WREN", ...keyPath.map(toUpperSnake)].join("_");
}

/** Every config environment variable, with the key path it sets. */
export function envVarTable(schema: JsonSchemaNode): Map<string, { path: string[]; node: JsonSchemaNode }> {
  return new Map(leafKeys(schema).map((leaf) => [envVarName(leaf.path), leaf]));
}

export interface EnvLayer {
  values: Record<string, unknown>;
  /** Dotted key → the variable that set it. */
  origins: Map<string, string>;
  problems: ConfigProblem[];
}

/**
 * Reads `WREN_<SECTION>_<KEY>` variables (upper snake case) into a config tree, coerced to the
 * schema's types. Empty variables count as unset. Variables that start like a section
 * (`WREN_ENGINE_…`) but name no key are errors with a suggestion; other `WREN_*` variables
 * (`WREN_HOME`, `WREN_DEBUG`) are not config keys and are left alone. A variable for a key in
 * `overridden` (dotted, as flags give them) is not read: a flag sets that key, so its value would not count.
 */
export function readEnvLayer(env: Env, schema: JsonSchemaNode, overridden: ReadonlySet<string> = new Set()): EnvLayer {
  const table = envVarTable(schema);
  const sectionPrefixes = Object.keys(schema.properties ?? {}).map((s) => `WREN_${toUpperSnake(s)}_`);
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (raw === undefined || raw === "" || !name.startsWith("WREN_")) continue;
    const entry = table.get(name);
    if (entry === undefined) {
      if (!sectionPrefixes.some((prefix) => name.startsWith(prefix))) continue;
      const suggestion = closest(name, [...table.keys()]);
      problems.push({
        origin: name,
        source: "env",
        message:
          suggestion === undefined
            ? `is not a wren setting. Unset it; config variables are WREN_<SECTION>_<KEY>, e.g. WREN_ENGINE_GPU (see docs/configuration.md).`
            : `is not a wren setting. Did you mean ${suggestion}?`,
      });
      continue;
    }
    const key = entry.path.join(".");
    if (entry.path.some((_, i) => overridden.has(entry.path.slice(0, i + 1).join(".")))) continue;
    const coerced = coerceString(raw, entry.node);
    if (!coerced.ok) {
      problems.push({ origin: name, source: "env", key, message: coerced.message });
      continue;
    }
    setPath(values, entry.path, coerced.value);
    origins.set(key, name);
  }
  return { values, origins, problems };
}
