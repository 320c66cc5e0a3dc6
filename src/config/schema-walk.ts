import type { JsonSchemaNode } from "./config-schema.js";

/** The JSON Schema node for a key path, descending objects, records and arrays. */
export function nodeAt(root: JsonSchemaNode, keyPath: readonly (string | number)[]): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const part of keyPath) {
    if (node === undefined) return undefined;
    if (typeof part === "number") {
      node = node.items;
    } else if (node.properties !== undefined) {
      node = node.properties[part];
    } else if (typeof node.additionalProperties === "object") {
      node = node.additionalProperties;
    } else {
      return undefined;
    }
  }
  return node;
}

/** The keys a node allows, when it is an object with named properties. */
export function keysOf(node: JsonSchemaNode | undefined): string[] {
  return node?.properties === undefined ? [] : Object.keys(node.properties);
}

export function typesOf(node: JsonSchemaNode): string[] {
  if (node.anyOf !== undefined) return node.anyOf.flatMap(typesOf);
  if (node.type === undefined) return [];
  return Array.isArray(node.type) ? node.type : [node.type];
}

/** A named-properties object (a section or a table), as opposed to a record or a value. */
export function isTable(node: JsonSchemaNode): boolean {
  return node.properties !== undefined;
}

/**
 * A table of entries by name that the user chooses (a record: `mcp.servers`, `router.providers`,
 * `models.aliases`), as opposed to a table of settings (a section, `router.retry`). The layers merge
 * such a table name by name, each entry replaced whole (merge-layers.ts).
 */
export function isNamedEntries(node: JsonSchemaNode | undefined): boolean {
  return node !== undefined && node.properties === undefined && typeof node.additionalProperties === "object";
}

/** Every settable key under `node`, as dotted paths: tables are descended, anything else is a leaf. */
export function leafKeys(node: JsonSchemaNode, prefix: readonly string[] = []): { path: string[]; node: JsonSchemaNode }[] {
  if (!isTable(node)) return [{ path: [...prefix], node }];
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => leafKeys(child, [...prefix, key]));
}
