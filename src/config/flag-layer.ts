import { coerceString } from "./coerce.js";
import type { JsonSchemaNode } from "./config-schema.js";
import type { ConfigProblem } from "./problem.js";
import { nodeAt } from "./schema-walk.js";
import { setPath, type Tree } from "./tree.js";

export interface FlagLayer {
  values: Tree;
  /** Dotted key → how the flag is shown in errors. */
  origins: Map<string, string>;
  problems: ConfigProblem[];
}

/**
 * Turns CLI flags given as dotted keys (`{"engine.gpu": "cpu"}`) into a config tree. `undefined`
 * means the flag was not given. Strings are coerced like environment variables; other values
 * pass through for the schema to check.
 */
export function readFlagLayer(
  flags: Readonly<Record<string, unknown>>,
  schema: JsonSchemaNode,
  labels: Readonly<Record<string, string>> = {},
): FlagLayer {
  const values: Tree = {};
  const origins = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const [key, raw] of Object.entries(flags)) {
    if (raw === undefined) continue;
    const keyPath = key.split(".");
    const origin = labels[key] ?? `--${key}`;
    const node = nodeAt(schema, keyPath);
    let value: unknown = raw;
    if (typeof raw === "string" && node !== undefined) {
      const coerced = coerceString(raw, node);
      if (!coerced.ok) {
        problems.push({ origin, source: "flag", key, message: coerced.message });
        continue;
      }
      value = coerced.value;
    }
    setPath(values, keyPath, value);
    origins.set(key, origin);
  }
  return { values, origins, problems };
}
