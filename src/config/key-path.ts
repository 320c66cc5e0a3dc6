import { WrenError } from "../shared/errors.js";

/** A key TOML lets a file write without quotes (a bare key). */
const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * One key as TOML writes it in a dotted key: bare when it can be, else quoted, so a name holding a
 * dot (a provider `my.proxy`, a price `openai:gpt-4.1`) reads back as one key.
 */
export function quoteKey(key: string): string {
  return BARE_KEY.test(key) ? key : JSON.stringify(key);
}

/** A key path as TOML's dotted keys write it: `router.prices."openai:gpt-4.1".input`. */
export function joinKeyPath(keyPath: readonly string[]): string {
  return keyPath.map(quoteKey).join(".");
}

function badKey(text: string, what: string): WrenError {
  return new WrenError("bad_request", `The key ${JSON.stringify(text)} ${what}.`, {
    hint: 'Write a key as TOML dotted keys do, quoting a name that holds a dot: router.prices."openai:gpt-4.1".',
  });
}

/**
 * Reads a key path written as TOML's dotted keys: bare keys (letters, digits, `_`, `-`), "basic"
 * strings with escapes and 'literal' strings, joined by dots with optional spaces around them.
 * Throws a WrenError naming what is wrong, such as an unterminated quote.
 */
export function parseKeyPath(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const skipSpaces = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  for (;;) {
    skipSpaces();
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      let end = i + 1;
      while (end < text.length && text[end] !== quote) end += quote === '"' && text[end] === "\\" ? 2 : 1;
      if (end >= text.length) throw badKey(text, `has an unterminated quote (${quote}) at character ${i + 1}`);
      const raw = text.slice(i, end + 1);
      if (quote === "'") {
        parts.push(raw.slice(1, -1));
      } else {
        try {
          parts.push(JSON.parse(raw) as string);
        } catch {
          throw badKey(text, `has a bad escape in ${raw}`);
        }
      }
      i = end + 1;
    } else {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
      if (i === start) throw badKey(text, i >= text.length ? "ends without a key" : `has ${JSON.stringify(text[i])} where a key should be at character ${i + 1}`);
      parts.push(text.slice(start, i));
    }
    skipSpaces();
    if (i >= text.length) return parts;
    if (text[i] !== ".") throw badKey(text, `has ${JSON.stringify(text[i])} where a dot should be at character ${i + 1}`);
    i++;
  }
}
