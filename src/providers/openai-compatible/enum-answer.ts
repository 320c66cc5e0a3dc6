import { answerJsonText, type AnswerChoices, type FinishReason, type GenerateResult, type StreamPart, type TextPart, type ToolCallPart, type Usage } from "../../protocol/index.js";

/*
 * An answer that is one of a string enum, asked of an OpenAI-compatible server. Its structured
 * outputs (`json_schema`) take only an object root, so the server is still asked for the answer
 * object (`{"answer":"negative"}`), and what it writes is passed on as it is. Two things keep the
 * client's `max_tokens` and usage the value's:
 * - the limit sent is the client's plus the bytes of the object's opening (`{"answer":"`, 11): no
 *   tokenizer cuts a text into more tokens than it has bytes, so the value has at least the tokens
 *   the client asked for (often a few more, cut below: OpenAI's tokenizers take 3 for it); the closing `"}`
 *   takes the place a local model's end of text would;
 * - the usage counts the object's tokens out as OpenAI's tokenizers (o200k, cl100k; Llama 3's and
 *   Qwen's cut JSON alike) cut it, `{"`, the key, `":"` and `"}`, for the parts that were written.
 *   wren has no teacher's tokenizer, so this is an estimate, exact for those.
 * A value longer than the client's limit, counted so, is cut to it with finish reason `length`, as
 * Gemini cuts an enum value `maxOutputTokens` leaves no room for, after as large a share of its
 * characters as the limit is of its tokens, rounded up; streamed or not alike (a stream's value is
 * held until its usage comes, see {@link enumAnswerStream}).
 */

/** Tokens OpenAI's tokenizers cut the object's opening into: `{"`, `answer`, `":"`. */
const OPENING_TOKENS = 3;
/** Tokens of its closing `"}`. */
const CLOSING_TOKENS = 1;

/** The `max_tokens` to send for the client's `limit`: the opening's bytes more. */
export function enumMaxTokens(choices: AnswerChoices, limit: number): number {
  return limit + new TextEncoder().encode(answerJsonText(choices.key, "", false)).byteLength;
}

/** The tokens of the object around the value in `text`, the answer as the server wrote it. */
function wrapperTokens(key: string, text: string): number {
  if (!openingPattern(key).test(text)) return 0;
  try {
    JSON.parse(text);
    return OPENING_TOKENS + CLOSING_TOKENS;
  } catch {
    return OPENING_TOKENS;
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `usage` with the object's tokens in `text` counted out: the value's tokens. */
function valueUsage(usage: Usage, key: string, text: string): Usage {
  const wrapper = Math.min(wrapperTokens(key, text), usage.outputTokens);
  return { ...usage, outputTokens: usage.outputTokens - wrapper, totalTokens: usage.totalTokens - wrapper };
}

/** The value in `text`, the object as the server wrote it so far, unescaped; undefined before the opening ends. */
function valueOf(key: string, text: string): string | undefined {
  const opening = openingPattern(key).exec(text);
  if (!opening) return undefined;
  try {
    const whole = JSON.parse(text) as Record<string, unknown>;
    if (typeof whole[key] === "string") return whole[key];
  } catch {
    // Cut short: the value's text so far.
  }
  // An escape cut in its middle (`\u00`) is left out until it is whole.
  let rest = text.slice(opening[0].length);
  for (let i = 0; i < 6 && rest.length > 0; i++) {
    try {
      return JSON.parse(`"${rest}"`) as string;
    } catch {
      rest = rest.slice(0, -1);
    }
  }
  return "";
}

function openingPattern(key: string): RegExp {
  return new RegExp(`^\\s*\\{\\s*${escapeRegExp(JSON.stringify(key))}\\s*:\\s*"`);
}

/** `usage`, a cut answer's: the value's `limit` tokens, in place of the upstream's output tokens. */
function cutUsage(usage: Usage, limit: number): Usage {
  return { ...usage, outputTokens: limit, totalTokens: usage.totalTokens - usage.outputTokens + limit };
}

const textOf = (content: Array<TextPart | ToolCallPart>): string => content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");

/** A whole answer with the value's usage, its value cut to the client's `limit` (see above). */
export function enumAnswerResult(result: GenerateResult, choices: AnswerChoices, limit?: number): GenerateResult {
  const { content, finishReason, usage } = wholeAnswer(result.content, result.finishReason, result.usage, choices.key, limit);
  return { ...result, content, finishReason, usage };
}

function wholeAnswer(
  content: Array<TextPart | ToolCallPart>,
  finishReason: FinishReason,
  upstream: Usage,
  key: string,
  limit: number | undefined,
): { content: Array<TextPart | ToolCallPart>; finishReason: FinishReason; usage: Usage } {
  const text = textOf(content);
  const usage = valueUsage(upstream, key, text);
  const value = valueOf(key, text);
  if (limit === undefined || usage.outputTokens <= limit || value === undefined) return { content, finishReason, usage };
  const chars = [...value];
  const kept = chars.slice(0, Math.ceil((chars.length * limit) / usage.outputTokens)).join("");
  return { content: [{ type: "text", text: answerJsonText(key, kept, false) }, ...content.filter((p) => p.type !== "text")], finishReason: "length", usage: cutUsage(usage, limit) };
}

/**
 * The length of the start of `text`, the object as the server wrote it, that holds the opening and
 * the value's first `count` characters (code points, as {@link wholeAnswer} counts them), each
 * escape whole.
 */
function valuePrefixLength(key: string, text: string, count: number): number {
  const opening = openingPattern(key).exec(text);
  if (!opening) return text.length;
  let i = opening[0].length;
  for (let n = 0; n < count && i < text.length && text[i] !== '"'; n++) {
    if (text[i] !== "\\") i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    else if (text[i + 1] !== "u") i += 2;
    // A character past the BMP written as two escapes (a surrogate pair) is one.
    else i += /^\\u[dD][89abAB][0-9a-fA-F]{2}\\u/.test(text.slice(i, i + 8)) ? 12 : 6;
  }
  return Math.min(i, text.length);
}

/**
 * {@link enumAnswerResult} over a stream: the value cut to the client's `limit` as a whole answer's
 * is, and a finish with the value's usage. With a limit, the value's text is held from its first
 * chunk until the finish, whose usage says how many tokens it took: a server may send several
 * tokens a chunk, so its chunks cannot be counted for its tokens. The value is a few tokens, and
 * the object's opening goes on as it comes. A server that states no usage is counted a token a
 * chunk that carried the value, the fewest it can have written.
 */
export async function* enumAnswerStream(parts: AsyncIterable<StreamPart>, choices: AnswerChoices, limit?: number): AsyncGenerator<StreamPart> {
  const { key } = choices;
  /** What the server wrote, and how much of it went on. */
  let text = "";
  let sent = 0;
  let id: string | undefined;
  let valueChunks = 0;
  /** Parts that came after held text, passed on after it. */
  const held: StreamPart[] = [];
  /** The held text, cut to the limit when the value took more than it in `tokens`, then the parts after it. */
  function* release(tokens: number): Generator<StreamPart, boolean> {
    const value = valueOf(key, text);
    const cut = limit !== undefined && value !== undefined && tokens > limit;
    const end = cut ? valuePrefixLength(key, text, Math.ceil(([...value].length * limit) / tokens)) : text.length;
    if (end > sent && id !== undefined) yield { type: "text-delta", id, delta: text.slice(sent, end) };
    sent = text.length;
    yield* held.splice(0);
    return cut;
  }
  for await (const part of parts) {
    if (part.type === "text-delta") {
      const before = valueOf(key, text)?.length ?? 0;
      text += part.delta;
      id ??= part.id;
      // Only a chunk that carries the value counts: not the object's opening, nor its closing.
      if ((valueOf(key, text)?.length ?? 0) > before) valueChunks += 1;
      if (limit === undefined || valueChunks === 0) {
        sent = text.length;
        yield part;
      }
      continue;
    }
    if (part.type === "error") {
      yield* release(valueChunks);
      yield part;
      continue;
    }
    if (part.type !== "finish") {
      if (sent < text.length) held.push(part);
      else yield part;
      continue;
    }
    if (part.content) {
      yield { ...part, ...wholeAnswer(part.content, part.finishReason, part.usage, key, limit) };
      continue;
    }
    const usage = valueUsage(part.usage, key, text);
    const cut = yield* release(part.usage.outputTokens > 0 ? usage.outputTokens : valueChunks);
    if (!cut || limit === undefined) yield { ...part, usage };
    else yield { ...part, finishReason: part.finishReason === "abort" ? "abort" : "length", usage: cutUsage(usage, limit) };
  }
}
