import { setImmediate as nextTurn } from "node:timers/promises";
import { SpecialToken, SpecialTokensText, type LlamaModel, type LlamaText, type Tokenizer } from "node-llama-cpp";
import type { Message } from "../protocol/messages.js";
import type { ToolDefinition } from "../protocol/request.js";
import { throwIfAborted } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";

/**
 * Characters tokenized between two turns of the event loop. Tokenizing is synchronous native work
 * (about 0.2 s per MB on one core); in slices this size a server keeps answering other requests
 * (`/health` among them) while a long prompt is counted.
 */
const SLICE_CHARS = 8192;

/**
 * Tokens a cut between two slices may add over tokenizing the text whole (a word split in two).
 * Counts are judged net of it, so a prompt is never refused for the way wren counted it.
 */
const CUT_SLACK = 2;

/** How far back from a slice's end a cut looks for whitespace, so words stay whole. */
const CUT_LOOKBACK = 256;

/** What a count in slices found. */
export interface BoundedCount {
  /**
   * Tokens counted: within a few tokens per cut of tokenizing the text whole; when `over`, net of
   * that slack, so the text surely has more.
   */
  tokens: number;
  /** True when counting stopped early because the text is surely longer than the limit. */
  over: boolean;
}

/** Where a slice starting at `start` ends: at whitespace when there is some near the end, never inside a surrogate pair. */
function sliceEnd(text: string, start: number): number {
  let end = start + SLICE_CHARS;
  if (end >= text.length) return text.length;
  for (let i = end; i > end - CUT_LOOKBACK; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i;
  }
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return end;
}

/** Adds up token counts of texts tokenized in slices, yielding to the event loop between slices. */
class SliceCounter {
  #tokens = 0;
  /** Tokens the cuts and text edges may have added over tokenizing everything as one. */
  #slack = 0;
  #sinceTurn = 0;
  readonly #tokenizer: Tokenizer;
  readonly #limit: number;
  readonly #edgeSlack: number;
  readonly #signal: AbortSignal | undefined;

  constructor(tokenizer: Tokenizer, limit: number, edgeSlack: number, signal: AbortSignal | undefined) {
    this.#tokenizer = tokenizer;
    this.#limit = limit;
    this.#edgeSlack = edgeSlack;
    this.#signal = signal;
  }

  get #over(): boolean {
    return this.#tokens - this.#slack > this.#limit;
  }

  addTokens(n: number): void {
    this.#tokens += n;
  }

  /** Counts `text`; true once the total is surely past the limit. */
  async add(text: string, special: boolean): Promise<boolean> {
    if (text.length === 0) return this.#over;
    this.#slack += this.#edgeSlack;
    for (let start = 0; start < text.length; ) {
      const end = sliceEnd(text, start);
      const leading = this.#tokens > 0 || start > 0 ? "trimLeadingSpace" : undefined;
      this.#tokens += this.#tokenizer(text.slice(start, end), special, leading).length;
      if (start > 0) this.#slack += CUT_SLACK;
      this.#sinceTurn += end - start;
      start = end;
      if (this.#over) return true;
      if (this.#sinceTurn >= SLICE_CHARS) {
        this.#sinceTurn = 0;
        await nextTurn();
        throwIfAborted(this.#signal);
      }
    }
    return false;
  }

  /** The count so far, net of slack when it stopped early. */
  result(): BoundedCount {
    const over = this.#over;
    return { tokens: over ? this.#tokens - this.#slack : this.#tokens, over };
  }
}

/**
 * Bounds the work a prompt can cost before it reaches llama.cpp: a character bound from the longest
 * token of the vocabulary (a text of N UTF-8 bytes is at least N / longest tokens), then a count in
 * slices that yields to the event loop and stops as soon as the limit is passed. Only a prompt that
 * fits is ever tokenized whole, so no request can hold the event loop for longer than a context's
 * worth of tokenizing, and node-llama-cpp's context shift never runs on a prompt that cannot fit.
 */
export class PromptBounds {
  /** UTF-8 bytes of the longest token in the vocabulary: no token stands for more text than this. */
  readonly longestTokenBytes: number;
  readonly #tokenizer: Tokenizer;

  constructor(model: LlamaModel) {
    this.#tokenizer = model.tokenizer;
    this.longestTokenBytes = longestTokenBytes(model);
  }

  /** Characters beyond which a text surely has more than `tokens` tokens. */
  charLimit(tokens: number): number {
    return this.longestTokenBytes * tokens;
  }

  /**
   * Counts the tokens of a rendered prompt as `LlamaText.tokenize` would, in slices, stopping once
   * the count passes `limit`.
   */
  async count(text: LlamaText | string, limit: number, signal?: AbortSignal): Promise<BoundedCount> {
    const counter = new SliceCounter(this.#tokenizer, limit, 0, signal);
    let plain = "";
    for (const value of typeof text === "string" ? [text] : text.values) {
      // Plain strings next to each other are tokenized together, as LlamaText does.
      if (typeof value === "string") {
        plain += value;
        continue;
      }
      if (await counter.add(plain, false)) return counter.result();
      plain = "";
      if (value instanceof SpecialToken) counter.addTokens(value.tokenize(this.#tokenizer).length);
      else if (value instanceof SpecialTokensText && (await counter.add(value.value, true))) return counter.result();
    }
    await counter.add(plain, false);
    return counter.result();
  }

  /**
   * Counts texts a template will carry verbatim, each on its own, before the template renders them
   * (rendering a long conversation is itself work in proportion to it). Each text's edges may
   * tokenize differently inside the template, so the count is judged net of that.
   */
  async countTexts(texts: readonly string[], limit: number, signal?: AbortSignal): Promise<BoundedCount> {
    const counter = new SliceCounter(this.#tokenizer, limit, CUT_SLACK, signal);
    for (const text of texts) if (await counter.add(text, false)) break;
    return counter.result();
  }

  /**
   * The end of `prompt` that holds at least `limit` tokens (all of it when it is shorter), found
   * from the end in slices: text completion keeps the latest text when the prompt cannot fit.
   */
  async tail(prompt: string, limit: number, signal?: AbortSignal): Promise<string> {
    // A text of charLimit(limit) characters has at least `limit` tokens: the rest cannot be kept.
    const kept = Math.min(prompt.length, this.charLimit(limit));
    let text = kept < prompt.length ? prompt.slice(pairStart(prompt, prompt.length - kept)) : prompt;
    let tokens = 0;
    for (let end = text.length; end > 0; ) {
      const start = end > SLICE_CHARS ? pairStart(text, end - SLICE_CHARS) : 0;
      tokens += this.#tokenizer(text.slice(start, end), false, "trimLeadingSpace").length;
      end = start;
      if (tokens > limit + CUT_SLACK) {
        text = text.slice(start);
        break;
      }
      if (end > 0) {
        await nextTurn();
        throwIfAborted(signal);
      }
    }
    return text;
  }
}

/** `index`, or the one after it when it would start a text with the second half of a surrogate pair. */
function pairStart(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}

/** The texts a chat prompt carries verbatim, one per message or tool result (its template adds more). */
export function messageTexts(messages: readonly Message[]): string[] {
  const texts: string[] = [];
  for (const message of messages) {
    if (typeof message.content === "string") {
      texts.push(message.content);
      continue;
    }
    let text = "";
    for (const part of message.content) {
      if (part.type === "text") text += part.text;
      else if (part.type === "tool-result") texts.push(part.output);
    }
    if (text) texts.push(text);
  }
  return texts;
}

/**
 * Characters of tool definitions any chat template carries verbatim when the model may call tools
 * on its own: names, descriptions and property names (templates render schemas as TypeScript types
 * or as JSON, both of which spell them out).
 */
export function toolChars(tools: readonly ToolDefinition[]): number {
  let chars = 0;
  for (const tool of tools) {
    chars += tool.name.length + (tool.description?.length ?? 0);
    const stack: unknown[] = [tool.inputSchema];
    while (stack.length > 0) {
      const node = stack.pop();
      if (typeof node !== "object" || node === null) continue;
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === "properties" && typeof value === "object" && value !== null && !Array.isArray(value)) {
          for (const name of Object.keys(value)) chars += name.length;
        }
        stack.push(value);
      }
    }
  }
  return chars;
}

/** The longest token's UTF-8 length, from the vocabulary in the file's metadata. */
function longestTokenBytes(model: LlamaModel): number {
  const tokens: unknown = model.fileInfo.metadata.tokenizer?.ggml?.tokens;
  // Without a vocabulary to read, there is no character bound; counting in slices still bounds the work.
  if (!Array.isArray(tokens) || tokens.length === 0) return Number.POSITIVE_INFINITY;
  let longest = 1;
  for (const token of tokens) {
    // Metadata spells spaces as "▁" or "Ġ" and bytes as "<0x0A>": never shorter than the text a token stands for.
    if (typeof token === "string") longest = Math.max(longest, Buffer.byteLength(token, "utf8"));
  }
  return longest;
}

/**
 * What a request that cannot fit gets: the size, the context, and what to do. `details` carries the
 * numbers for the dialects' own "too long" errors: `promptTokens` (the prompt has at least this many
 * tokens; counting stops once it is surely too long) and `maxPromptTokens` (the most a prompt may have).
 */
export function contextOverflow(
  what: string,
  size: string,
  contextSize: number,
  trainContextSize: number,
  promptTokens: number,
  maxPromptTokens = contextSize,
): WrenError {
  const larger = contextSize < trainContextSize;
  return new WrenError("context_overflow", `${what} is ${size}, more than the ${contextSize}-token context can hold.`, {
    hint: larger
      ? `Shorten it, or use a larger context (this model takes up to ${trainContextSize} tokens): per request with num_ctx / x-wren-context-length, or for every request with \`wren serve --context N\` (engine.contextSize).`
      : `Shorten it: this model takes at most ${trainContextSize} tokens.`,
    details: { contextSize, promptTokens: Math.max(promptTokens, maxPromptTokens + 1), maxPromptTokens },
  });
}

/**
 * An embedding input longer than the embedding context holds, which no request option enlarges:
 * `maxTokens` is the room an input's own tokens have (the context less the start and end tokens
 * the model adds).
 */
export function embeddingOverflow(what: string, size: string, maxTokens: number): WrenError {
  return new WrenError("context_overflow", `${what} is ${size}, more than an embedding input can hold (${maxTokens} tokens).`, {
    hint: `Split it into pieces of at most ${maxTokens} tokens and embed each.`,
    details: { maxTokens, param: "input" },
  });
}
