/**
 * Maps and sets of names that a copy shares with its original (a persistent hash trie under a
 * mutable handle): copying one is constant time, a change copies only the path to the name, and
 * what two copies differ in is found by walking only the parts that changed since they parted. The
 * evaluator copies its state for each command that may not run and compares the copies afterwards
 * (see `forkContext`, `maybe-run.ts`); with plain maps each copy and each comparison cost as much
 * as the line had written so far, and a long script took time growing with the square of its length.
 *
 * Iteration follows insertion order, as a `Map`'s does.
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;

interface Entry<V> {
  readonly key: string;
  readonly value: V;
  /** Insertion order: a name set again keeps its place, as in a `Map`. */
  readonly seq: number;
}

/** The names whose hashes are the same (nearly always one). */
interface Leaf<V> {
  readonly leaf: true;
  readonly hash: number;
  readonly entries: readonly Entry<V>[];
}

interface Branch<V> {
  readonly leaf: false;
  readonly slots: readonly (Node<V> | undefined)[];
}

type Node<V> = Leaf<V> | Branch<V>;

function hashOf(key: string): number {
  // FNV-1a.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const slotOf = (hash: number, shift: number): number => (hash >>> shift) & MASK;

function find<V>(node: Node<V> | undefined, hash: number, key: string): Entry<V> | undefined {
  let shift = 0;
  while (node && !node.leaf) {
    node = node.slots[slotOf(hash, shift)];
    shift += BITS;
  }
  return node && node.hash === hash ? node.entries.find((e) => e.key === key) : undefined;
}

function branchOf<V>(a: Leaf<V>, b: Leaf<V>, shift: number): Branch<V> {
  const slots: (Node<V> | undefined)[] = new Array<Node<V> | undefined>(1 << BITS).fill(undefined);
  const i = slotOf(a.hash, shift);
  const j = slotOf(b.hash, shift);
  if (i === j) slots[i] = branchOf(a, b, shift + BITS);
  else {
    slots[i] = a;
    slots[j] = b;
  }
  return { leaf: false, slots };
}

/** `node` with `entry` in it (a new node; the old one is left as it was). */
function put<V>(node: Node<V> | undefined, entry: Entry<V>, hash: number, shift: number): Node<V> {
  if (!node) return { leaf: true, hash, entries: [entry] };
  if (node.leaf) {
    if (node.hash !== hash) return branchOf(node, { leaf: true, hash, entries: [entry] }, shift);
    const at = node.entries.findIndex((e) => e.key === entry.key);
    const entries = [...node.entries];
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
    return { leaf: true, hash, entries };
  }
  const slots = [...node.slots];
  const i = slotOf(hash, shift);
  slots[i] = put(slots[i], entry, hash, shift + BITS);
  return { leaf: false, slots };
}

/** `node` without `key` (undefined where nothing is left). */
function remove<V>(node: Node<V>, hash: number, key: string, shift: number): Node<V> | undefined {
  if (node.leaf) {
    const entries = node.entries.filter((e) => e.key !== key);
    return entries.length === 0 ? undefined : { leaf: true, hash, entries };
  }
  const i = slotOf(hash, shift);
  const child = node.slots[i];
  if (!child) return node;
  const slots = [...node.slots];
  slots[i] = remove(child, hash, key, shift + BITS);
  return slots.some((s) => s !== undefined) ? { leaf: false, slots } : undefined;
}

function collect<V>(node: Node<V> | undefined, out: Entry<V>[]): void {
  if (!node) return;
  if (node.leaf) out.push(...node.entries);
  else for (const s of node.slots) collect(s, out);
}

/** The names in one trie and not the other or with another value; parts both share are not looked into. */
function diff<V>(a: Node<V> | undefined, b: Node<V> | undefined, out: Set<string>): void {
  if (a === b) return;
  if (a && b && !a.leaf && !b.leaf) {
    for (let i = 0; i < a.slots.length; i++) diff(a.slots[i], b.slots[i], out);
    return;
  }
  const left: Entry<V>[] = [];
  const right: Entry<V>[] = [];
  collect(a, left);
  collect(b, right);
  const there = new Map(right.map((e) => [e.key, e]));
  for (const e of left) {
    const other = there.get(e.key);
    if (!other || other.value !== e.value) out.add(e.key);
    there.delete(e.key);
  }
  for (const key of there.keys()) out.add(key);
}

/** A `Map` of names whose {@link SharedMap.fork} is a copy in constant time. */
export class SharedMap<V> implements Map<string, V> {
  #root: Node<V> | undefined;
  #size = 0;
  #next = 0;
  /**
   * The entries in insertion order, for the trie they were read from: the first `count` of
   * `entries`. A name added appends to the array where no copy has appended to it yet.
   */
  #ordered: { root: Node<V> | undefined; entries: Entry<V>[]; count: number } | undefined;

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  /** A copy: what either changes from now on the other does not see. */
  fork(): SharedMap<V> {
    const copy = new SharedMap<V>();
    copy.#take(this);
    return copy;
  }

  /** Makes this map hold what `other` holds, as a copy of it. */
  assign(other: SharedMap<V>): void {
    this.#take(other);
  }

  #take(other: SharedMap<V>): void {
    this.#root = other.#root;
    this.#size = other.#size;
    this.#next = other.#next;
    this.#ordered = other.#ordered;
  }

  /** The names `a` and `b` differ in: held by one only, or with values that are not the same (`!==`). */
  static changed<V>(a: SharedMap<V>, b: SharedMap<V>): Set<string> {
    const out = new Set<string>();
    diff(a.#root, b.#root, out);
    return out;
  }

  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return find(this.#root, hashOf(key), key)?.value;
  }

  has(key: string): boolean {
    return find(this.#root, hashOf(key), key) !== undefined;
  }

  set(key: string, value: V): this {
    const hash = hashOf(key);
    const old = find(this.#root, hash, key);
    if (old && old.value === value) return this;
    const entry = { key, value, seq: old ? old.seq : this.#next++ };
    const ordered = this.#ordered;
    const appends = !old && ordered !== undefined && ordered.root === this.#root && ordered.entries.length === ordered.count;
    this.#root = put(this.#root, entry, hash, 0);
    if (!old) this.#size++;
    if (appends) {
      ordered.entries.push(entry);
      this.#ordered = { root: this.#root, entries: ordered.entries, count: ordered.count + 1 };
    }
    return this;
  }

  delete(key: string): boolean {
    const hash = hashOf(key);
    if (!this.#root || !find(this.#root, hash, key)) return false;
    this.#root = remove(this.#root, hash, key, 0);
    this.#size--;
    return true;
  }

  clear(): void {
    this.#root = undefined;
    this.#size = 0;
  }

  #entries(): Entry<V>[] {
    const ordered = this.#ordered;
    if (ordered && ordered.root === this.#root) return ordered.count === ordered.entries.length ? ordered.entries : ordered.entries.slice(0, ordered.count);
    const entries: Entry<V>[] = [];
    collect(this.#root, entries);
    entries.sort((a, b) => a.seq - b.seq);
    this.#ordered = { root: this.#root, entries, count: entries.length };
    return entries;
  }

  /** As a `Map`'s: a name deleted while iterating is skipped, a value changed is seen as it is now. */
  *entries(): MapIterator<[string, V]> {
    const root = this.#root;
    for (const { key, value } of this.#entries()) {
      if (this.#root === root) yield [key, value];
      else {
        const now = find(this.#root, hashOf(key), key);
        if (now) yield [key, now.value];
      }
    }
  }

  *keys(): MapIterator<string> {
    const root = this.#root;
    for (const { key } of this.#entries()) if (this.#root === root || this.has(key)) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  get [Symbol.toStringTag](): string {
    return "SharedMap";
  }
}

/** A `Set` of names whose {@link SharedSet.fork} is a copy in constant time. */
export class SharedSet implements Set<string> {
  readonly #map: SharedMap<true>;

  constructor(values?: Iterable<string>, map = new SharedMap<true>()) {
    this.#map = map;
    if (values) for (const v of values) map.set(v, true);
  }

  fork(): SharedSet {
    return new SharedSet(undefined, this.#map.fork());
  }

  /** The names in one of `a` and `b` only. */
  static changed(a: SharedSet, b: SharedSet): Set<string> {
    return SharedMap.changed(a.#map, b.#map);
  }

  get size(): number {
    return this.#map.size;
  }

  has(value: string): boolean {
    return this.#map.has(value);
  }

  add(value: string): this {
    this.#map.set(value, true);
    return this;
  }

  delete(value: string): boolean {
    return this.#map.delete(value);
  }

  clear(): void {
    this.#map.clear();
  }

  *entries(): SetIterator<[string, string]> {
    for (const key of this.#map.keys()) yield [key, key];
  }

  keys(): SetIterator<string> {
    return this.#map.keys();
  }

  values(): SetIterator<string> {
    return this.#map.keys();
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.#map.keys();
  }

  forEach(callback: (value: string, value2: string, set: Set<string>) => void, thisArg?: unknown): void {
    for (const key of this.#map.keys()) callback.call(thisArg, key, key, this);
  }

  get [Symbol.toStringTag](): string {
    return "SharedSet";
  }
}

/** A copy of a map of the line's state: constant time for a {@link SharedMap}, the first copy of a plain `Map` as long as it is. */
export function forkMap<V>(map: ReadonlyMap<string, V>): SharedMap<V> {
  return map instanceof SharedMap ? (map.fork() as SharedMap<V>) : new SharedMap(map);
}

/** A copy of a set of the line's state, as {@link forkMap}. */
export function forkSet(set: ReadonlySet<string>): SharedSet {
  return set instanceof SharedSet ? set.fork() : new SharedSet(set);
}

/** The names two maps differ in (see {@link SharedMap.changed}); plain maps are compared whole. */
export function changedKeys<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>): Set<string> {
  if (a instanceof SharedMap && b instanceof SharedMap) return SharedMap.changed(a as SharedMap<V>, b as SharedMap<V>);
  const out = new Set<string>();
  for (const [k, v] of a) if (!b.has(k) || b.get(k) !== v) out.add(k);
  for (const k of b.keys()) if (!a.has(k)) out.add(k);
  return out;
}

/** The names in one of two sets only. */
export function changedNames(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  if (a instanceof SharedSet && b instanceof SharedSet) return SharedSet.changed(a, b);
  const out = new Set<string>();
  for (const k of a) if (!b.has(k)) out.add(k);
  for (const k of b) if (!a.has(k)) out.add(k);
  return out;
}
