/**
 * The prompt's text and where the cursor is in it, and the editing keys of a shell's line editor:
 * arrows, Home/End (Ctrl+A/E), deleting either side of the cursor, Ctrl+U/K/W. Pure, so the
 * prompt component only maps keys to these.
 */
export interface LineState {
  readonly value: string;
  /** An index into `value` (UTF-16), 0 to `value.length`, never inside a surrogate pair. */
  readonly cursor: number;
}

/** The text with the cursor at its end. */
export const atEnd = (value: string): LineState => ({ value, cursor: value.length });

const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** The index one character before `i` (a surrogate pair is one character). */
function before(value: string, i: number): number {
  if (i <= 0) return 0;
  return i >= 2 && isLow(value.charCodeAt(i - 1)) && !isLow(value.charCodeAt(i - 2)) ? i - 2 : i - 1;
}

/** The index one character after `i`. */
function after(value: string, i: number): number {
  if (i >= value.length) return value.length;
  return isLow(value.charCodeAt(i + 1)) && !isLow(value.charCodeAt(i)) ? i + 2 : i + 1;
}

const lineStart = (s: LineState): number => s.value.lastIndexOf("\n", s.cursor - 1) + 1;
const lineEnd = (s: LineState): number => {
  const end = s.value.indexOf("\n", s.cursor);
  return end === -1 ? s.value.length : end;
};

export function insert(s: LineState, text: string): LineState {
  return { value: s.value.slice(0, s.cursor) + text + s.value.slice(s.cursor), cursor: s.cursor + text.length };
}

export function deleteBack(s: LineState): LineState {
  const from = before(s.value, s.cursor);
  return { value: s.value.slice(0, from) + s.value.slice(s.cursor), cursor: from };
}

export function deleteForward(s: LineState): LineState {
  return { value: s.value.slice(0, s.cursor) + s.value.slice(after(s.value, s.cursor)), cursor: s.cursor };
}

export const left = (s: LineState): LineState => ({ ...s, cursor: before(s.value, s.cursor) });
export const right = (s: LineState): LineState => ({ ...s, cursor: after(s.value, s.cursor) });
export const home = (s: LineState): LineState => ({ ...s, cursor: lineStart(s) });
export const end = (s: LineState): LineState => ({ ...s, cursor: lineEnd(s) });

/** Ctrl+U: deletes from the start of the cursor's line to the cursor. */
export function killToStart(s: LineState): LineState {
  const from = lineStart(s);
  return { value: s.value.slice(0, from) + s.value.slice(s.cursor), cursor: from };
}

/** Ctrl+K: deletes from the cursor to the end of its line. */
export function killToEnd(s: LineState): LineState {
  return { value: s.value.slice(0, s.cursor) + s.value.slice(lineEnd(s)), cursor: s.cursor };
}

/** Ctrl+W: deletes the word before the cursor (and the spaces after it). */
export function deleteWordBack(s: LineState): LineState {
  let from = s.cursor;
  while (from > 0 && /[ \t]/.test(s.value[from - 1] ?? "")) from--;
  while (from > 0 && !/\s/.test(s.value[from - 1] ?? "")) from--;
  return { value: s.value.slice(0, from) + s.value.slice(s.cursor), cursor: from };
}

/** The cursor's line (0-based) and column in it. */
export function position(s: LineState): { line: number; column: number } {
  const upTo = s.value.slice(0, s.cursor);
  const line = upTo.split("\n").length - 1;
  return { line, column: s.cursor - (upTo.lastIndexOf("\n") + 1) };
}

/**
 * Up or Down a line, at the same column where that line is long enough; undefined on the first line
 * (Up) or the last (Down), where the arrows go through the prompt history instead.
 */
export function vertical(s: LineState, direction: -1 | 1): LineState | undefined {
  const lines = s.value.split("\n");
  const { line, column } = position(s);
  const target = line + direction;
  if (target < 0 || target >= lines.length) return undefined;
  let cursor = 0;
  for (let i = 0; i < target; i++) cursor += (lines[i]?.length ?? 0) + 1;
  return { value: s.value, cursor: cursor + Math.min(column, lines[target]?.length ?? 0) };
}
