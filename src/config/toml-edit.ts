import { parse, stringify } from "smol-toml";
import { WrenError } from "../shared/errors.js";
import { joinKeyPath, quoteKey } from "./key-path.js";
import { scanToml, TomlScanError, type TomlEntry, type TomlHeader, type TomlStatement } from "./toml-scan.js";
import { getPath, isPlainObject, setPath, type Tree } from "./tree.js";

/*
 * `wren config set | unset` change one key of a config file and keep every other character of it:
 * comments, blank lines, order, quoting. The edit is made on the text (the value on the key's line
 * replaced, a line added to the key's table, a table appended, lines cut), then the result is
 * parsed and must hold exactly the old values with the one change. Anything else is refused, and the
 * file is left for the user to edit: it is never re-written from its parsed values.
 */

/** One value as TOML writes it on one line: strings quoted and escaped, lists and tables inline. */
export function inlineToml(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value).replace(/\x7f/g, "\\u007F");
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(inlineToml).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${quoteKey(k)} = ${inlineToml(v)}`).join(", ")} }`;
  }
  throw new WrenError("bad_request", `TOML has no way to write ${value === null ? "null" : `a ${typeof value}`}.`, {
    hint: "Leave the key out instead: wren config unset KEY.",
  });
}

const isPrefix = (prefix: readonly string[], path: readonly string[]) =>
  prefix.length <= path.length && prefix.every((part, n) => path[n] === part);
const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && isPrefix(a, b);
const commonLength = (a: readonly string[], b: readonly string[]) => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

function refusal(label: string, key: readonly string[], why: string, hint?: string): WrenError {
  return new WrenError("unsupported", `wren cannot change ${joinKeyPath(key)} in ${label}: ${why}. The file is unchanged.`, {
    hint: hint ?? "Edit the file by hand; `wren config validate FILE` checks it.",
  });
}

function parseText(text: string, label: string, key: readonly string[]): Tree {
  try {
    return parse(text);
  } catch (error) {
    const line = (error as { line?: number }).line;
    throw refusal(label, key, `it is not valid TOML${line === undefined ? "" : ` (line ${line})`}`, "Fix the file first; `wren config validate FILE` says what is wrong.");
  }
}

function scanText(text: string, label: string, key: readonly string[]): TomlStatement[] {
  try {
    return scanToml(text);
  } catch (error) {
    if (!(error instanceof TomlScanError)) throw error;
    throw refusal(label, key, `wren does not follow its TOML (${error.message})`);
  }
}

/** A key written inside one value (an inline table or list) or in a list of tables cannot be edited on its own. */
function refuseInside(statements: readonly TomlStatement[], key: readonly string[], label: string): void {
  for (const s of statements) {
    if (s.kind === "entry" && !s.inList && s.path.length < key.length && isPrefix(s.path, key)) {
      throw refusal(label, key, `it is inside ${joinKeyPath(s.path)}, which line ${s.line} writes as one inline value`, `Set the whole of it instead (wren config set ${joinKeyPath(s.path)} JSON), or edit the file by hand.`);
    }
    if (s.kind === "header" && s.array && s.path.length < key.length && isPrefix(s.path, key)) {
      throw refusal(label, key, `it is inside the list of tables [[${joinKeyPath(s.path)}]] (line ${s.line})`);
    }
  }
}

/**
 * Canonical JSON, to compare parsed documents whatever their key order. Empty tables are left out:
 * cutting `[models.aliases]` also takes away the `models` table that only it implied.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (!isPlainObject(v)) return v;
    const kept = Object.entries(v).filter(([, child]) => !isPlainObject(child) || canonical(child) !== "{}");
    return Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

function holds(text: string, expected: Tree): boolean {
  try {
    return canonical(parse(text)) === canonical(expected);
  } catch {
    return false;
  }
}

const lineStart = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;

/** Where a table's own lines end: after its last key, or after its header when it has none. */
function bodyEnd(statements: readonly TomlStatement[], header: TomlHeader): number {
  let end = header.end;
  for (const s of statements.slice(statements.indexOf(header) + 1)) {
    if (s.kind === "header") break;
    end = s.end;
  }
  return end;
}

/** The text less every line that sets `key` or a key under it, and every table at or under it. */
function cutKey(text: string, statements: readonly TomlStatement[], key: readonly string[]): { text: string; cut: boolean } {
  const ranges: [number, number][] = statements
    .filter((s) => isPrefix(key, s.path))
    .map((s) => [lineStart(text, s.start), s.kind === "header" ? bodyEnd(statements, s) : s.end]);
  if (ranges.length === 0) return { text, cut: false };
  ranges.sort((a, b) => b[0] - a[0]);
  let out = text;
  let floor = Infinity;
  for (const [from, to] of ranges) {
    if (from >= floor) continue;
    let end = Math.min(to, floor);
    floor = from;
    // No blank line left doubled where lines went.
    let before = out.slice(0, from);
    // Nor a blank line left at the end of the file.
    if (end >= out.length) before = before.replace(/(\r?\n)(\r?\n)+$/, "$1");
    if (before === "" || before.endsWith("\n\n") || before.endsWith("\n\r\n")) {
      while (out[end] === "\n" || (out[end] === "\r" && out[end + 1] === "\n")) end += out[end] === "\r" ? 2 : 1;
    }
    out = before + out.slice(end);
  }
  return { text: out, cut: true };
}

/** `block` (whole lines) put in at `at`, a blank line before it and after it where lines are around it. */
function insertBlock(text: string, at: number, block: string): string {
  const before = text.slice(0, at);
  const after = text.slice(at);
  const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const trail = after === "" || after.startsWith("\n") || after.startsWith("\r\n") ? "" : "\n";
  return before + lead + block + trail + after;
}

/** One line put in at `at` (the start of a line, or the end of the text). */
function insertLine(text: string, at: number, line: string): string {
  const before = text.slice(0, at);
  return `${before}${before === "" || before.endsWith("\n") ? "" : "\n"}${line}\n${text.slice(at)}`;
}

/**
 * The ways to add `key = value` to a file that does not set it yet, most fitting first: a line in
 * the key's table, a line beside the dotted keys that make up its table, or a new table after the
 * tables nearest to it.
 */
function insertions(text: string, statements: readonly TomlStatement[], key: readonly string[], value: unknown): string[] {
  const parent = key.slice(0, -1);
  const headers = statements.filter((s): s is TomlHeader => s.kind === "header");
  const entries = statements.filter((s): s is TomlEntry => s.kind === "entry" && !s.inList);
  const out: string[] = [];
  const line = (table: readonly string[], anchor: TomlEntry | undefined) => {
    const indent = anchor === undefined ? "" : text.slice(lineStart(text, anchor.start), anchor.start);
    return `${indent}${joinKeyPath(key.slice(table.length))} = ${inlineToml(value)}`;
  };

  const lines: string[] = [];
  const own = headers.find((h) => !h.array && samePath(h.path, parent));
  if (own !== undefined) {
    const last = entries.filter((e) => e.start > own.start && e.end <= bodyEnd(statements, own)).at(-1);
    lines.push(insertLine(text, bodyEnd(statements, own), line(parent, last)));
  }
  const dotted = entries.filter((e) => isPrefix(e.table, parent) && e.table.length < parent.length && commonLength(e.path, key) >= parent.length);
  const anchor = dotted.at(-1);
  if (anchor !== undefined) lines.push(insertLine(text, anchor.end, line(anchor.table, anchor)));

  const near = Math.max(0, ...headers.map((h) => commonLength(h.path, key)));
  const neighbour = near === 0 ? undefined : headers.filter((h) => commonLength(h.path, key) === near).at(-1);
  const asBlock = (block: string) => [
    ...(neighbour === undefined ? [] : [insertBlock(text, bodyEnd(statements, neighbour), block)]),
    insertBlock(text, text.length, block),
  ];
  const nested: Tree = {};
  setPath(nested, key, value);
  // A table or a list of tables reads best as [tables]; a value, as a line in its table.
  const tableValued = isPlainObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isPlainObject));
  if (tableValued) out.push(...asBlock(stringify(nested)));
  out.push(...lines);
  if (parent.length > 0) out.push(...asBlock(`[${joinKeyPath(parent)}]\n${joinKeyPath(key.slice(-1))} = ${inlineToml(value)}\n`));
  if (parent.length === 0) {
    // A whole section as one value: before the first table, where the file's top-level keys are.
    const first = headers[0];
    const rootEnd = entries.filter((e) => e.table.length === 0).at(-1)?.end ?? (first === undefined ? text.length : lineStart(text, first.start));
    out.push(insertLine(text, rootEnd, line([], undefined)));
  }
  return out;
}

/**
 * `text` with `key` set to `value`: the value on the key's line replaced, or the key added where it
 * fits. A key the file writes as a table (`[models.aliases]`, `[[server.models]]`) is replaced whole.
 * Throws a WrenError("unsupported") naming `label` when the edit cannot be made without touching
 * other text (a key inside an inline table, a file wren's scanner does not follow).
 */
export function setTomlKey(text: string, key: readonly string[], value: unknown, label = "the file"): string {
  const expected = parseText(text, label, key);
  setPath(expected, key, value);
  const statements = scanText(text, label, key);
  refuseInside(statements, key, label);
  const exact = statements.find((s): s is TomlEntry => s.kind === "entry" && !s.inList && samePath(s.path, key));
  const candidates: string[] = [];
  if (exact !== undefined) {
    candidates.push(text.slice(0, exact.valueStart) + inlineToml(value) + text.slice(exact.valueEnd));
  } else {
    const cut = cutKey(text, statements, key).text;
    candidates.push(...insertions(cut, scanText(cut, label, key), key, value));
  }
  const next = candidates.find((candidate) => holds(candidate, expected));
  if (next === undefined) throw refusal(label, key, "no edit of its text gives the new value and keeps the rest");
  return next;
}

/**
 * `text` without `key` (a value, or a table and everything under it), or undefined when the file
 * does not set it. Comments stay, even those above the lines that go.
 */
export function unsetTomlKey(text: string, key: readonly string[], label = "the file"): string | undefined {
  const expected = parseText(text, label, key);
  const parentValue = getPath(expected, key.slice(0, -1));
  const last = key.at(-1);
  if (last === undefined || !isPlainObject(parentValue) || !Object.hasOwn(parentValue, last)) return undefined;
  delete parentValue[last];
  const statements = scanText(text, label, key);
  refuseInside(statements, key, label);
  const { text: next, cut } = cutKey(text, statements, key);
  if (!cut || !holds(next, expected)) throw refusal(label, key, "no edit of its text removes it and keeps the rest");
  return next;
}
