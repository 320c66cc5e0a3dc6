/*
 * How a layer merges over the layers below it, in one place: the loader merges with `mergeLayer`,
 * and keeps of each layer below only what `withoutOverridden` leaves, which is what it checks and
 * what `wren config show` credits to that layer.
 *
 * - A table of settings (a section, `router.retry`) merges key by key.
 * - A table of entries by name (`mcp.servers`, `router.providers`, `router.routes`, `router.prices`,
 *   `models.aliases`: a record in the schema, `isNamedEntries`) merges name by name, and an entry a
 *   layer sets replaces the whole entry of that name below it. An entry is one thing (a server, a
 *   provider, a route) whose keys belong together: a stdio server's `args` mean nothing to an HTTP
 *   server of the same name, nor to another program, and a route's `targets` nothing to a target.
 *   Entries may be of different kinds with optional discriminators (an MCP server's `type`, a
 *   provider's `kind`), so "replace when the kinds differ" could not be told reliably: always whole.
 * - Lists and values are replaced whole, and so is a table over a value or a value over a table.
 */
import type { JsonSchemaNode } from "./config-schema.js";
import { isNamedEntries, nodeAt } from "./schema-walk.js";
import { isPlainObject, type Tree } from "./tree.js";

/** The schema node of `key` under `node`; `undefined` for a key the schema does not know (left to it to report). */
const childOf = (node: JsonSchemaNode | undefined, key: string) => (node === undefined ? undefined : nodeAt(node, [key]));

/** Whether `over`, under `node`, merges into `base` key by key rather than replacing it. */
const mergesKeyByKey = (node: JsonSchemaNode | undefined, base: unknown, over: unknown): boolean =>
  !isNamedEntries(node) && isPlainObject(base) && isPlainObject(over);

/** `over` merged over `base`, where `node` is the schema of both (the config schema's root for a layer). */
export function mergeLayer(base: Tree, over: Tree, node: JsonSchemaNode | undefined): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = mergesKeyByKey(node, current, value) ? mergeLayer(current as Tree, value as Tree, childOf(node, key)) : value;
  }
  return out;
}

/**
 * What is left of `base` once `over` is merged over it (`mergeLayer`): what `over` replaces goes. A
 * table left empty goes too, so it is not taken for a table `base` sets (see `leafPaths`).
 */
export function withoutOverridden(base: Tree, over: Tree, node: JsonSchemaNode | undefined): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (!Object.hasOwn(out, key)) continue;
    const current = out[key];
    if (mergesKeyByKey(node, current, value)) {
      const left = withoutOverridden(current as Tree, value as Tree, childOf(node, key));
      if (Object.keys(left).length > 0 || Object.keys(current as Tree).length === 0) out[key] = left;
      else delete out[key];
    } else {
      delete out[key];
    }
  }
  return out;
}

