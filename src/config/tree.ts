/** Small helpers over plain config trees (what TOML and JSON parse into). */

export type Tree = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Tree {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function setPath(tree: Tree, keyPath: readonly string[], value: unknown): void {
  let node = tree;
  keyPath.forEach((part, i) => {
    if (i === keyPath.length - 1) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (isPlainObject(next)) {
      node = next;
    } else {
      const created: Tree = {};
      node[part] = created;
      node = created;
    }
  });
}

export function getPath(tree: unknown, keyPath: readonly string[]): unknown {
  let node = tree;
  for (const part of keyPath) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

/**
 * A copy of `tree` without the dotted `keys` (`engine.gpu` drops that key and keeps the rest of
 * `[engine]`). A key whose parent is not a table in `tree` is left to the schema to report. A table
 * left empty goes too, so it is not taken for a table the file sets (see `leafPaths`).
 */
export function withoutKeys(tree: Tree, keys: Iterable<string>): Tree {
  const out: Tree = { ...tree };
  for (const key of keys) {
    const keyPath = key.split(".");
    const parents: [Tree, string][] = [];
    let node = out;
    for (const [i, part] of keyPath.entries()) {
      const next = node[part];
      if (i === keyPath.length - 1) {
        if (!Object.hasOwn(node, part)) break;
        delete node[part];
        for (const [parent, name] of parents.reverse()) {
          if (Object.keys(parent[name] as Tree).length > 0) break;
          delete parent[name];
        }
      } else if (isPlainObject(next)) {
        parents.push([node, part]);
        node = node[part] = { ...next };
      } else {
        break;
      }
    }
  }
  return out;
}

/** Dotted paths of the leaves of a tree: objects are descended, lists and values are leaves. */
export function leafPaths(tree: unknown, prefix: readonly string[] = []): string[][] {
  if (!isPlainObject(tree)) return prefix.length === 0 ? [] : [[...prefix]];
  const entries = Object.entries(tree);
  if (entries.length === 0) return prefix.length === 0 ? [] : [[...prefix]];
  return entries.flatMap(([key, value]) => leafPaths(value, [...prefix, key]));
}
