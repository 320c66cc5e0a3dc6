import {
  answerJsonContent,
  withAnswerJson,
  type AnswerChoices,
  type GenerateResult,
  type StreamPart,
  type TextPart,
  type ToolCallPart,
  type Usage,
} from "../../protocol/index.js";

/**
 * An answer that is one of a string enum, asked of Ollama by the value's own schema: Ollama's
 * `format` takes any JSON Schema, so the model writes a JSON string (`"negative"`), not the object
 * around it that some teachers need. Only its quotes are added to the value, a token at most each:
 * `num_predict` gets one more than the client's limit, for the opening quote, so the value has the
 * tokens the client asked for, and the closing quote takes the place a local model's end of text
 * would (a value that fills the limit ends `length`, as a local one does); the usage counts the
 * quotes out.
 */
export function enumFormat(choices: AnswerChoices): { type: "string"; enum: string[] } {
  return { type: "string", enum: choices.values };
}

/** The most tokens the value's JSON string adds before it: its opening quote. */
export const OPENING_QUOTE_TOKENS = 1;

/**
 * The bare value in a JSON string written piece by piece: the quotes dropped, escapes decoded
 * (one cut between pieces waits for its end). Text that does not start as a JSON string (a model
 * that ignored the format) is passed on as it is.
 */
class JsonStringValue {
  #state: "before" | "inside" | "after" | "raw" = "before";
  #escape = "";
  /** Quotes read: the tokens to count out of the usage. */
  quotes = 0;

  push(text: string): string {
    let out = "";
    for (const c of text) {
      if (this.#state === "raw") out += c;
      else if (this.#state === "before") {
        if (c === '"') {
          this.#state = "inside";
          this.quotes++;
        } else if (!/\s/.test(c)) {
          this.#state = "raw";
          out += c;
        }
      } else if (this.#state === "inside") out += this.#inside(c);
    }
    return out;
  }

  #inside(c: string): string {
    if (this.#escape) {
      this.#escape += c;
      const done = this.#escape[1] === "u" ? this.#escape.length === 6 : this.#escape.length === 2;
      if (!done) return "";
      const escape = this.#escape;
      this.#escape = "";
      try {
        return JSON.parse(`"${escape}"`) as string;
      } catch {
        return escape;
      }
    }
    if (c === "\\") {
      this.#escape = c;
      return "";
    }
    if (c === '"') {
      this.#state = "after";
      this.quotes++;
      return "";
    }
    return c;
  }
}

function valueUsage(usage: Usage, quotes: number): Usage {
  const out = Math.min(quotes, usage.outputTokens);
  return { ...usage, outputTokens: usage.outputTokens - out, totalTokens: usage.totalTokens - out };
}

function valueContent(content: Array<TextPart | ToolCallPart>, value: JsonStringValue): Array<TextPart | ToolCallPart> {
  return content.map((p) => (p.type === "text" ? { ...p, text: value.push(p.text) } : p));
}

/** A whole answer to {@link enumFormat}: the value, as the answer object's JSON; the quotes counted out. */
export function enumAnswerResult(result: GenerateResult, key: string): GenerateResult {
  const value = new JsonStringValue();
  const content = valueContent(result.content, value);
  return { ...result, content: answerJsonContent(key, content, result.finishReason === "stop"), usage: valueUsage(result.usage, value.quotes) };
}

/** {@link enumAnswerResult} over a stream. */
export function enumAnswerStream(parts: AsyncIterable<StreamPart>, key: string): AsyncIterable<StreamPart> {
  async function* bare(): AsyncGenerator<StreamPart> {
    const value = new JsonStringValue();
    for await (const part of parts) {
      if (part.type === "text-delta") yield { ...part, delta: value.push(part.delta) };
      else if (part.type === "finish") {
        const content = part.content ? valueContent(part.content, value) : undefined;
        yield { ...part, ...(content ? { content } : {}), usage: valueUsage(part.usage, value.quotes) };
      } else yield part;
    }
  }
  return withAnswerJson(bare(), key);
}
