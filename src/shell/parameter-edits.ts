import type { ParamEdit } from "./ir.js";

/**
 * `${NAME#pattern}`, `${NAME%pattern}` (and `##`, `%%`), `${NAME:offset:length}` and
 * `${NAME/pattern/text}` (and `//`): what bash makes of a value it knows. wren reads only the forms
 * whose result the value alone decides: patterns of plain characters, `*`, `?` and `[…]` sets,
 * literal integers, replacement text of plain characters. Anything else stays unknown.
 */

/** Characters that stand for themselves in a pattern or replacement wren reads (no quotes, `$`, `~`, `\`, `&`, `#`, `%`). */
const PLAIN = "\\-A-Za-z0-9_.:@+=,";
const PATTERN = new RegExp(`^(?:[${PLAIN}/*?]|\\[[!^]?[${PLAIN}/]+\\])*$`);
const SUB_PATTERN = new RegExp(`^(?:[${PLAIN}*?]|\\[[!^]?[${PLAIN}]+\\])+$`);
const REPLACEMENT = new RegExp(`^[${PLAIN}]*$`);
const INTEGER = /^\s*(-?(?:0|[1-9]\d{0,8}))\s*$/;

/**
 * The edit an expansion's operator and the source text after it (up to the closing `}`) ask for,
 * or undefined where wren cannot tell what bash makes of it.
 */
export function editOf(op: string, rest: string): ParamEdit | undefined {
  if (op === "#" || op === "##" || op === "%" || op === "%%") {
    // An empty pattern (`${x#}`) removes nothing; wren leaves it unknown rather than read the grammar's guess.
    return rest !== "" && PATTERN.test(rest) && ranges(rest) ? { op, pattern: rest } : undefined;
  }
  if (op === "/" || op === "//") {
    // The pattern ends at the first `/`; `${x/#p/t}` and `${x/%p/t}` (anchored) are not read.
    const cut = rest.indexOf("/");
    const pattern = cut < 0 ? rest : rest.slice(0, cut);
    const replacement = cut < 0 ? "" : rest.slice(cut + 1);
    if (!SUB_PATTERN.test(pattern) || !ranges(pattern) || !REPLACEMENT.test(replacement)) return undefined;
    return { op, pattern, replacement };
  }
  if (op === ":") {
    const [first, second, ...more] = rest.split(":");
    const offset = INTEGER.exec(first ?? "")?.[1];
    const length = second === undefined ? undefined : INTEGER.exec(second)?.[1];
    if (offset === undefined || more.length > 0 || (second !== undefined && length === undefined)) return undefined;
    return length === undefined ? { op, offset: Number(offset) } : { op, offset: Number(offset), length: Number(length) };
  }
  return undefined;
}

/**
 * A `[a-z]` range wren reads only between two letters of one case or two digits, in order, read left
 * to right as bash does; a `-` right after a range (`[a-c-e]`) is not read.
 */
function ranges(pattern: string): boolean {
  for (const set of pattern.matchAll(/\[[!^]?([^\]]+)\]/g)) {
    const body = set[1] ?? "";
    for (let i = 0; i < body.length; i++) {
      if (body[i + 1] !== "-" || i + 2 >= body.length) continue;
      const from = body[i] ?? "";
      const to = body[i + 2] ?? "";
      const sameKind = [/[a-z]/, /[A-Z]/, /[0-9]/].some((k) => k.test(from) && k.test(to));
      if (!sameKind || from > to || body[i + 3] === "-") return false;
      i += 2;
    }
  }
  return true;
}

/**
 * What the edit makes of `value`, or undefined where bash's answer is not certain: a value with
 * other than ASCII characters (bash counts characters as the locale says), or a substring bash
 * refuses (`${x:2:-2}` of `abc`, "substring expression < 0", stops the shell).
 */
export function applyEdit(edit: ParamEdit, value: string): string | undefined {
  if (!/^[\x20-\x7e]*$/.test(value)) return undefined;
  if (edit.op === ":") return substring(value, edit.offset, edit.length);
  const matches = matcher(edit.pattern);
  const n = value.length;
  switch (edit.op) {
    case "#":
      for (let i = 0; i <= n; i++) if (matches(value.slice(0, i))) return value.slice(i);
      return value;
    case "##":
      for (let i = n; i >= 0; i--) if (matches(value.slice(0, i))) return value.slice(i);
      return value;
    case "%":
      for (let i = n; i >= 0; i--) if (matches(value.slice(i))) return value.slice(0, i);
      return value;
    case "%%":
      for (let i = 0; i <= n; i++) if (matches(value.slice(i))) return value.slice(0, i);
      return value;
    case "/":
    case "//":
      return replace(value, matches, edit.replacement, edit.op === "//");
  }
}

/** `${x:offset:length}`: a negative offset counts from the end, a negative length is where to stop, from the end. */
function substring(value: string, offset: number, length: number | undefined): string | undefined {
  const n = value.length;
  const start = offset < 0 ? n + offset : offset;
  if (start < 0 || start > n) return "";
  if (length === undefined) return value.slice(start);
  const end = length < 0 ? n + length : Math.min(n, start + length);
  if (end < start) return undefined;
  return value.slice(start, end);
}

/** Each match is the leftmost, and the longest there; `//` replaces every one, one after another. */
function replace(value: string, matches: (s: string) => boolean, replacement: string, all: boolean): string | undefined {
  if (value === "") return matches("") ? replacement : "";
  let out = "";
  let from = 0;
  let at = 0;
  while (at < value.length) {
    let end = -1;
    for (let e = value.length; e > at; e--) {
      if (matches(value.slice(at, e))) {
        end = e;
        break;
      }
    }
    // The patterns wren reads match nothing empty in a value that is not: were one to, wren does not guess.
    if (end < 0 && matches("")) return undefined;
    if (end < 0) {
      at++;
      continue;
    }
    out += value.slice(from, at) + replacement;
    from = at = end;
    if (!all) break;
  }
  return out + value.slice(from);
}

/** Whole-string matching of a pattern {@link editOf} accepted: `*` and `?` match any characters, `/` and a leading `.` included. */
function matcher(pattern: string): (s: string) => boolean {
  let source = "";
  for (const [token] of pattern.matchAll(/\[[!^]?[^\]]+\]|./g)) {
    if (token === "*") source += "[\\s\\S]*";
    else if (token === "?") source += "[\\s\\S]";
    else if (token.startsWith("[")) {
      const negate = token[1] === "!" || token[1] === "^";
      const body = token.slice(negate ? 2 : 1, -1).replace(/[\\\]^]/g, "\\$&");
      source += `[${negate ? "^" : ""}${body}]`;
    } else source += token.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  const re = new RegExp(`^(?:${source})$`);
  return (s) => re.test(s);
}
