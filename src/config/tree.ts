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

/**
 * What is left of `base` once `over` is merged over it (`deepMerge`): a value goes where `over` has
 * a value for its key or for a table above it, unless both are tables, which merge key by key. So a
 * list, a value, or a table over a value replaces the whole of what is below. A table left empty goes
 * too, so it is not taken for a table `base` sets (see `leafPaths`).
 */
export function withoutOverridden(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (!Object.hasOwn(out, key)) continue;
    const current = out[key];
    if (isPlainObject(current) && isPlainObject(value)) {
      const left = withoutOverridden(current, value);
      if (Object.keys(left).length > 0 || Object.keys(current).length === 0) out[key] = left;
      else delete out[key];
    } else {
      delete out[key];
    }
  }
  return out;
}

/** Objects merge key by key; anything else (values, lists) in `over` replaces what is in `base`. */
export function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
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
