import path from "node:path";
import { expandHome } from "../shared/paths.js";
import type { JsonSchemaNode } from "./config-schema.js";
import { isPlainObject, type Tree } from "./tree.js";

/**
 * Resolves the values of path keys (`path: true` in their meta) in one layer: `~` expands and a
 * relative path is taken relative to `baseDir` (the directory of the file that set it, or the
 * working directory for variables and flags). Returns a new tree.
 */
export function resolvePathKeys(tree: Tree, schema: JsonSchemaNode, baseDir: string, home: string): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(tree)) {
    const node = schema.properties?.[key];
    if (node?.path === true && typeof value === "string") {
      out[key] = path.resolve(baseDir, expandHome(value, home));
    } else if (node?.properties !== undefined && isPlainObject(value)) {
      out[key] = resolvePathKeys(value, node, baseDir, home);
    } else {
      out[key] = value;
    }
  }
  return out;
}
