import { parseKeyPath } from "./key-path.js";

/** A table header line: `[engine]` or, for a table in a list of tables, `[[server.models]]`. */
export interface TomlHeader {
  kind: "header";
  array: boolean;
  path: string[];
  /** Offset of the line's first character. */
  start: number;
  /** Offset just past the line's line break (or the end of the text). */
  end: number;
  line: number;
}

/** A `key = value` statement, whose value may span lines (a list, a multi-line string). */
export interface TomlEntry {
  kind: "entry";
  /** The key's full path: the table it is in, then its own (possibly dotted) key. */
  path: string[];
  /** The path of the table it is in (empty for the top of the file). */
  table: string[];
  /** True when that table is one of a list of tables (`[[…]]`): its path names no single table. */
  inList: boolean;
  start: number;
  valueStart: number;
  valueEnd: number;
  end: number;
  line: number;
}

export type TomlStatement = TomlHeader | TomlEntry;

/** Text the scanner does not understand; the caller refuses to edit rather than guess. */
export class TomlScanError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Finds the statements of a TOML document and where each one's text is, for edits that change one
 * statement and keep every other character. It reads the document's structure, not its values;
 * the caller parses the document with a real TOML parser as well and checks the edit's result.
 */
export function scanToml(text: string): TomlStatement[] {
  const statements: TomlStatement[] = [];
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  const fail = (what: string, at: number): never => {
    throw new TomlScanError(`${what} at line ${lineAt(at)}`, lineAt(at));
  };
  let i = 0;
  let table: string[] = [];
  let inList = false;
  const lists: string[][] = [];

  const skipSpaces = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  const skipComment = () => {
    if (text[i] === "#") while (i < text.length && text[i] !== "\n") i++;
  };
  /** Spaces, line breaks and comments, as a list or an inline table may hold between items. */
  const skipBlank = () => {
    for (;;) {
      skipSpaces();
      skipComment();
      if (text[i] === "\n") i++;
      else if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
      else return;
    }
  };
  /** The rest of a statement's line: spaces, a comment, then the line break. */
  const endLine = (): number => {
    skipSpaces();
    skipComment();
    if (text[i] === "\r" && text[i + 1] === "\n") return (i += 2);
    if (text[i] === "\n") return (i += 1);
    if (i >= text.length) return i;
    return fail(`unexpected ${JSON.stringify(text[i])}`, i);
  };
  /** A key up to `stop`, quotes and all, read as a dotted key path. */
  const readKey = (stop: string): string[] => {
    const start = i;
    while (i < text.length && text[i] !== stop && text[i] !== "\n") {
      const quote = text[i];
      if (quote === '"' || quote === "'") {
        i++;
        while (i < text.length && text[i] !== quote && text[i] !== "\n") i += quote === '"' && text[i] === "\\" ? 2 : 1;
      }
      i++;
    }
    if (text[i] !== stop) fail(`a key without ${JSON.stringify(stop)}`, start);
    try {
      return parseKeyPath(text.slice(start, i).trim());
    } catch {
      return fail("a key wren cannot read", start);
    }
  };
  const scanString = (): void => {
    const quote = text[i]!;
    if (text.startsWith(quote.repeat(3), i)) {
      i += 3;
      for (;;) {
        if (i >= text.length) fail("an unterminated string", i);
        if (quote === '"' && text[i] === "\\") {
          i += 2;
          continue;
        }
        if (text.startsWith(quote.repeat(3), i)) {
          i += 3;
          // Up to two quotes right before the closing three belong to the string.
          for (let extra = 0; extra < 2 && text[i] === quote; extra++) i++;
          return;
        }
        i++;
      }
    }
    i++;
    while (i < text.length && text[i] !== quote && text[i] !== "\n") i += quote === '"' && text[i] === "\\" ? 2 : 1;
    if (text[i] !== quote) fail("an unterminated string", i);
    i++;
  };
  const scanValue = (): void => {
    const c = text[i];
    if (c === '"' || c === "'") return scanString();
    if (c === "[" || c === "{") {
      const close = c === "[" ? "]" : "}";
      i++;
      for (;;) {
        skipBlank();
        if (text[i] === close) {
          i++;
          return;
        }
        if (c === "{") {
          readKey("=");
          i++;
          skipSpaces();
        }
        scanValue();
        skipBlank();
        if (text[i] === ",") i++;
        else if (text[i] !== close) fail(`expected "," or "${close}"`, i);
      }
    }
    const start = i;
    while (i < text.length && !/[\s,\]}#]/.test(text[i]!)) i++;
    if (i === start) fail("a missing value", i);
  };

  for (;;) {
    skipBlank();
    if (i >= text.length) return statements;
    const start = i;
    if (text[i] === "[") {
      const array = text[i + 1] === "[";
      i += array ? 2 : 1;
      const path = readKey("]");
      i++;
      if (array) {
        if (text[i] !== "]") fail('a list-of-tables header without "]]"', start);
        i++;
      }
      const end = endLine();
      statements.push({ kind: "header", array, path, start, end, line: lineAt(start) });
      table = path;
      // A table under a list of tables (`[server.models.x]` after `[[server.models]]`) is in its last item.
      inList = array || lists.some((list) => list.every((part, n) => path[n] === part));
      if (array) lists.push(path);
      continue;
    }
    const key = readKey("=");
    i++;
    skipSpaces();
    const valueStart = i;
    scanValue();
    const valueEnd = i;
    const end = endLine();
    statements.push({ kind: "entry", path: [...table, ...key], table, inList, start, valueStart, valueEnd, end, line: lineAt(start) });
  }
}
