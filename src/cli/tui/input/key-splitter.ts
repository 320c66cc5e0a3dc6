/**
 * Tells a paste from keys typed ahead. A terminal hands the program whatever arrived since its last
 * read, so on a busy machine (or over ssh) Ctrl+C then "hello", or Enter then the next prompt, come
 * in one chunk. Ink takes a chunk without escape sequences as one input, which turned those keys
 * into literal text. Here a chunk becomes the keys it holds, one by one, as if typed separately;
 * only text the terminal marks as pasted (bracketed paste mode, `ESC[200~` … `ESC[201~`) stays one
 * piece, taken literally, line breaks and control characters included.
 */

/** One key (a control character, an escape sequence, or a run of printable text) or a paste. */
export type InputPiece = { kind: "key"; sequence: string } | { kind: "paste"; text: string };

/** Turns the terminal on to mark pastes, and off again. */
export const BRACKETED_PASTE_ON = "\x1b[?2004h";
export const BRACKETED_PASTE_OFF = "\x1b[?2004l";
const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";
const ESC = "\x1b";

/** Splits terminal input into keys and pastes, across chunks. */
export interface KeySplitter {
  /** The pieces `chunk` completes; an unfinished escape sequence or paste waits for the next chunk. */
  push(chunk: string): InputPiece[];
  /** True while a lone Esc waits: the next chunk may make it an arrow key, or nothing will (it is Esc). */
  readonly waiting: boolean;
  /** What waits, as keys: a lone Esc is the Esc key once nothing followed it. */
  flush(): InputPiece[];
}

const isControl = (code: number): boolean => code < 0x20 || code === 0x7f;

/** The length of the escape sequence at `at`, 0 when the chunk ends inside it. */
function escapeLength(text: string, at: number): number {
  let i = at + 1;
  // ESC ESC [ … is Alt with an arrow key.
  if (text[i] === ESC && (text[i + 1] === "[" || text[i + 1] === "O")) i += 1;
  const kind = text[i];
  if (kind === undefined) return 0;
  if (kind === "[") {
    let j = i + 1;
    // Legacy function keys: ESC [ [ A.
    if (text[j] === "[") j += 1;
    for (; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if (code >= 0x40 && code <= 0x7e) return j + 1 - at;
      if (code < 0x20 || code > 0x3f) return j - at; // not a CSI after all: ESC [ and its parameters are the key
    }
    return 0;
  }
  if (kind === "O") return i + 2 <= text.length ? i + 2 - at : 0;
  // Alt with one character (Alt+Enter is ESC CR).
  const code = text.codePointAt(i) ?? 0;
  return i + (code > 0xffff ? 2 : 1) - at;
}

/** Creates a splitter for one input stream. */
export function createKeySplitter(): KeySplitter {
  let pending = "";
  let paste: string | undefined;
  const splitter: KeySplitter = {
    get waiting() {
      return paste === undefined && pending.startsWith(ESC);
    },
    push(chunk) {
      const text = pending + chunk;
      pending = "";
      const pieces: InputPiece[] = [];
      let i = 0;
      while (i < text.length) {
        if (paste !== undefined) {
          const end = text.indexOf(PASTE_END, i);
          if (end === -1) {
            // The end marker may be cut between chunks: keep what could be its start.
            let keep = 0;
            for (let n = Math.min(PASTE_END.length - 1, text.length - i); n > 0; n--) {
              if (PASTE_END.startsWith(text.slice(text.length - n))) {
                keep = n;
                break;
              }
            }
            paste += text.slice(i, text.length - keep);
            pending = text.slice(text.length - keep);
            return pieces;
          }
          pieces.push({ kind: "paste", text: paste + text.slice(i, end) });
          paste = undefined;
          i = end + PASTE_END.length;
          continue;
        }
        const code = text.charCodeAt(i);
        if (text[i] === ESC) {
          const length = escapeLength(text, i);
          if (length === 0) {
            pending = text.slice(i);
            return pieces;
          }
          const sequence = text.slice(i, i + length);
          if (sequence === PASTE_START) paste = "";
          else if (sequence !== PASTE_END) pieces.push({ kind: "key", sequence });
          i += length;
          continue;
        }
        if (isControl(code)) {
          pieces.push({ kind: "key", sequence: text[i] ?? "" });
          i += 1;
          continue;
        }
        let j = i + 1;
        while (j < text.length && !isControl(text.charCodeAt(j))) j++;
        pieces.push({ kind: "key", sequence: text.slice(i, j) });
        i = j;
      }
      return pieces;
    },
    flush() {
      if (!splitter.waiting) return [];
      const sequence = pending;
      pending = "";
      return [{ kind: "key", sequence }];
    },
  };
  return splitter;
}
