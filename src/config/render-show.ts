import type { JsonSchemaNode, WrenConfig } from "./config-schema.js";
import type { ConfigSource } from "./load-config.js";
import { parseKeyPath } from "./key-path.js";
import { leafKeys, nodeAt } from "./schema-walk.js";
import { tildify } from "./tildify.js";
import { getPath, setPath, type Tree } from "./tree.js";

export const MASK = "********";

/** One row of `wren config show`: a key, its value (secrets masked) and where it came from. */
export interface ShowRow {
  key: string;
  /** `undefined` when the key is not set and has no default. */
  value: unknown;
  source: Pick<ConfigSource, "layer" | "origin"> | undefined;
}

/**
 * The value with every secret in it masked: a secret key's own, one inside a list of tables
 * (`server.keys`), and each value of a secret table of names (`peers.keys`), whose names are shown.
 */
export function masked(node: JsonSchemaNode | undefined, value: unknown): unknown {
  if (node === undefined) return value;
  if (node.secret === true) {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.keys(value).map((name) => [name, MASK])) : MASK;
  }
  if (Array.isArray(value)) return value.map((item) => masked(node.items, item));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(nodeAt(node, [k]), v)]));
  return value;
}

function isEmptyTable(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** Every key of the effective config with its source, plus the optional keys that are not set. */
export function showRows(config: WrenConfig, sources: readonly ConfigSource[], schema: JsonSchemaNode): ShowRow[] {
  const order = leafKeys(schema).map((leaf) => leaf.path.join("."));
  // A table whose keys are all optional defaults to `{}`; its keys are listed one by one below
  // (set or not), so the `{}` line would only repeat them, out of place.
  const isTable = (key: string) => order.some((k) => k.startsWith(`${key}.`));
  const shown = sources.filter((source) => !(isTable(source.key) && isEmptyTable(getPath(config, parseKeyPath(source.key)))));
  const rows: ShowRow[] = shown.map((source) => {
    const keyPath = parseKeyPath(source.key);
    return {
      key: source.key,
      value: masked(nodeAt(schema, keyPath), getPath(config, keyPath)),
      source: { layer: source.layer, origin: source.origin },
    };
  });
  for (const leaf of leafKeys(schema)) {
    const key = leaf.path.join(".");
    if (!rows.some((row) => row.key === key || row.key.startsWith(`${key}.`))) {
      rows.push({ key, value: undefined, source: undefined });
    }
  }
  // A table's row sits where its first key does.
  const rank = (key: string) => order.findIndex((k) => key === k || key.startsWith(`${k}.`) || k.startsWith(`${key}.`));
  return rows.sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** `wren config show` as aligned text: `key = value   layer origin`. */
export function renderShowText(rows: readonly ShowRow[], home: string): string {
  const cells = rows.map((row) => ({
    left: row.value === undefined ? `${row.key}` : `${row.key} = ${JSON.stringify(row.value)}`,
    right:
      row.source === undefined
        ? "(not set)"
        : row.source.layer === "default"
          ? "default"
          : `${row.source.layer} ${tildify(row.source.origin, home)}`,
  }));
  const width = Math.min(60, Math.max(...cells.map((c) => c.left.length)));
  return cells.map((c) => `${c.left.padEnd(width)}  # ${c.right}\n`).join("");
}

/** `wren config show --json`: the effective config (secrets masked) and, per key, its source. */
export function renderShowJson(rows: readonly ShowRow[]): string {
  const config: Tree = {};
  const sources: Record<string, ShowRow["source"]> = {};
  for (const row of rows) {
    if (row.value === undefined) continue;
    setPath(config, parseKeyPath(row.key), row.value);
    sources[row.key] = row.source;
  }
  return `${JSON.stringify({ config, sources }, null, 2)}\n`;
}
