/**
 * A byte-level SentencePiece-style vocabulary (`tokenizer.ggml.model = "llama"`): `<unk> <s> </s>`,
 * the 256 byte tokens `<0x00>`…`<0xFF>`, every printable ASCII character (space written `▁`), a
 * few merged pieces, optional extra control tokens, then unique filler tokens up to a requested size.
 */

/** llama.cpp token types. */
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BYTE = 6;

/** Merged pieces, each reachable from two earlier pieces, so the SPM merge path is exercised. */
const MERGES = ["▁t", "he", "▁the", "in", "▁a", "er", "on", "ll", "lo", "llo", "ello", "▁H", "▁Hello", "▁w", "or", "ld", "▁wor", "▁world"];

export interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
}

export interface VocabOptions {
  /** Control tokens appended after the base vocabulary (e.g. `<|im_start|>`). */
  extraTokens?: readonly string[];
  /** Normal tokens appended after the base vocabulary, each a piece of text (space written `▁`). */
  pieces?: readonly string[];
  /** Pad with unique filler tokens up to this many tokens. Must not be below the base size. */
  size?: number;
}

export function buildVocab(options: VocabOptions = {}): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const add = (token: string, score: number, type: number): void => {
    tokens.push(token);
    scores.push(score);
    types.push(type);
  };
  add("<unk>", 0, UNKNOWN);
  add("<s>", 0, CONTROL);
  add("</s>", 0, CONTROL);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, 0, BYTE);
  // Merged pieces score higher than single characters, earlier ones highest.
  MERGES.forEach((piece, i) => add(piece, -(i + 1) / 100, NORMAL));
  let score = -1000;
  for (let c = 0x20; c < 0x7f; c++) add(c === 0x20 ? "▁" : String.fromCharCode(c), score--, NORMAL);
  for (const piece of options.pieces ?? []) add(piece, 0, NORMAL);
  for (const token of options.extraTokens ?? []) add(token, 0, CONTROL);
  const size = options.size ?? tokens.length;
  if (size < tokens.length) throw new Error(`vocab size ${size} is below the base vocabulary (${tokens.length} tokens)`);
  for (let i = tokens.length; i < size; i++) add(`[filler${i}]`, -1e6, NORMAL);
  return { tokens, scores, types };
}
