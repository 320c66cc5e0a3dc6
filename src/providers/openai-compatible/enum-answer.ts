import { answerJsonText, type AnswerChoices, type GenerateResult, type StreamPart, type TextPart, type ToolCallPart, type Usage } from "../../protocol/index.js";

/*
 * An answer that is one of a string enum, asked of an OpenAI-compatible server. Its structured
 * outputs (`json_schema`) take only an object root, so the server is still asked for the answer
 * object (`{"answer":"negative"}`), and what it writes is passed on as it is. Two things keep the
 * client's `max_tokens` and usage the value's:
 * - the limit sent is the client's plus the bytes of the object's opening (`{"answer":"`, 11): no
 *   tokenizer cuts a text into more tokens than it has bytes, so the value has at least the tokens
 *   the client asked for (often a few more: OpenAI's tokenizers take 3 for it); the closing `"}`
 *   takes the place a local model's end of text would;
 * - the usage counts the object's tokens out as OpenAI's tokenizers (o200k, cl100k; Llama 3's and
 *   Qwen's cut JSON alike) cut it, `{"`, the key, `":"` and `"}`, for the parts that were written.
 *   wren has no teacher's tokenizer, so this is an estimate, exact for those.
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
  const opening = new RegExp(`^\\s*\\{\\s*${escapeRegExp(JSON.stringify(key))}\\s*:\\s*"`);
  if (!opening.test(text)) return 0;
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

const textOf = (content: Array<TextPart | ToolCallPart>): string => content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");

/** A whole answer with the value's usage. */
export function enumAnswerResult(result: GenerateResult, choices: AnswerChoices): GenerateResult {
  return { ...result, usage: valueUsage(result.usage, choices.key, textOf(result.content)) };
}

/** {@link enumAnswerResult} over a stream: its finish carries the value's usage. */
export async function* enumAnswerStream(parts: AsyncIterable<StreamPart>, choices: AnswerChoices): AsyncGenerator<StreamPart> {
  let text = "";
  for await (const part of parts) {
    if (part.type === "text-delta") text += part.delta;
    if (part.type !== "finish") {
      yield part;
      continue;
    }
    yield { ...part, usage: valueUsage(part.usage, choices.key, part.content ? textOf(part.content) : text) };
  }
}
