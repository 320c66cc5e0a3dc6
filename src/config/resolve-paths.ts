import path from "node:path";
import { expandHome } from "../shared/paths.js";
import type { JsonSchemaNode } from "./config-schema.js";
import { isPlainObject, type Tree } from "./tree.js";

/** `./m.gguf`, `../m.gguf` (or with backslashes): a model ref written as a path relative to its file. */
const RELATIVE_PATH = /^\.\.?[/\\]/;

/**
 * Resolves the values of path keys (`path: true` in their meta) in one layer: `~` expands and a
 * relative path is taken relative to `baseDir` (the directory of the file that set it, or the
 * working directory for variables and flags). Model refs (`modelRef: true`) written as a relative
 * path (`./m.gguf`) are resolved the same way, in tables of them (`models.aliases`) and in lists of
 * tables (`[[server.models]]`) too; other refs (names, `hf:…`, URLs) are left as they are. Returns
 * a new tree.
 */
export function resolvePathKeys(tree: Tree, schema: JsonSchemaNode, baseDir: string, home: string): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(tree)) {
    out[key] = resolveValue(value, schema.properties?.[key], baseDir, home);
  }
  return out;
}

function resolveValue(value: unknown, node: JsonSchemaNode | undefined, baseDir: string, home: string): unknown {
  if (node === undefined) return value;
  if (typeof value === "string") {
    if (node.path === true) return path.resolve(baseDir, expandHome(value, home));
    if (node.modelRef === true && RELATIVE_PATH.test(value)) return path.resolve(baseDir, value);
    return value;
  }
  if (node.properties !== undefined && isPlainObject(value)) return resolvePathKeys(value, node, baseDir, home);
  if (typeof node.additionalProperties === "object" && isPlainObject(value)) {
    const values = node.additionalProperties;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, values, baseDir, home)]));
  }
  if (node.items !== undefined && Array.isArray(value)) return value.map((item) => resolveValue(item, node.items, baseDir, home));
  return value;
}
