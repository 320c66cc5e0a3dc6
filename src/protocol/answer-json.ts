import type { TextPart, ToolCallPart } from "./messages.js";
import type { ResponseFormat } from "./request.js";
import type { StreamPart } from "./stream.js";

/** A format's `answerKey` and the values it allows: what a model held to the bare value may write. */
export interface AnswerChoices {
  key: string;
  values: string[];
}

/**
 * The answer of a format with `answerKey`, when it is one of a string `enum` (the form a model can be
 * held to without the object around it); undefined for any other format.
 */
export function answerChoices(format: ResponseFormat | undefined): AnswerChoices | undefined {
  if (format?.type !== "json" || format.answerKey === undefined) return undefined;
  const properties = format.schema?.["properties"];
  const property = typeof properties === "object" && properties !== null ? (properties as Record<string, unknown>)[format.answerKey] : undefined;
  const values = typeof property === "object" && property !== null ? (property as Record<string, unknown>)["enum"] : undefined;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v): v is string => typeof v === "string")) return undefined;
  return { key: format.answerKey, values };
}

const escape = (text: string): string => JSON.stringify(text).slice(1, -1);

/**
 * A bare value written as the answer object's JSON (`{"answer":"negative"}`): the opening before it,
 * the closing only after a value the model finished (finish reason `stop`). A value cut short (max
 * tokens) is left open, as a model writing the JSON itself would have left it.
 */
export function answerJsonText(key: string, value: string, finished: boolean): string {
  return `{${JSON.stringify(key)}:"${escape(value)}${finished ? '"}' : ""}`;
}

/** {@link answerJsonText} over a whole answer's content: its text becomes the one text part, first. */
export function answerJsonContent(key: string, content: Array<TextPart | ToolCallPart>, finished: boolean): Array<TextPart | ToolCallPart> {
  const value = content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
  return [{ type: "text", text: answerJsonText(key, value, finished) }, ...content.filter((p) => p.type !== "text")];
}

/**
 * {@link answerJsonText} over a stream: the value's text, in as many blocks as it came, goes out as
 * one text block of the object's JSON, piece by piece; the block ends at the finish, once it is
 * known whether the value was finished.
 */
export class AnswerJsonStream {
  readonly #key: string;
  #id: string | undefined;
  #opened = false;

  constructor(key: string) {
    this.#key = key;
  }

  /** The parts to pass on for one part of the bare value's stream. */
  push(part: StreamPart): StreamPart[] {
    switch (part.type) {
      case "text-start":
        if (this.#id !== undefined) return [];
        this.#id = part.id;
        return [part];
      case "text-delta": {
        if (part.delta === "") return [];
        const delta = this.#opened ? escape(part.delta) : answerJsonText(this.#key, part.delta, false);
        this.#opened = true;
        return [{ type: "text-delta", id: this.#id ?? part.id, delta }];
      }
      case "text-end":
        return [];
      case "finish": {
        const finished = part.finishReason === "stop";
        // A whole answer on the finish came with no parts before it.
        if (part.content) return [{ ...part, content: answerJsonContent(this.#key, part.content, finished) }];
        return [...this.#end(finished), part];
      }
      case "error":
        return [...this.#end(false), part];
      default:
        return [part];
    }
  }

  #end(finished: boolean): StreamPart[] {
    const out: StreamPart[] = [];
    if (!finished && this.#id === undefined) return out;
    const id = this.#id ?? "text-answer";
    if (this.#id === undefined) out.push({ type: "text-start", id });
    const rest = this.#opened ? (finished ? '"}' : "") : answerJsonText(this.#key, "", finished);
    if (rest) out.push({ type: "text-delta", id, delta: rest });
    out.push({ type: "text-end", id });
    this.#id = undefined;
    return out;
  }
}

/** {@link AnswerJsonStream} over a whole stream. */
export async function* withAnswerJson(parts: AsyncIterable<StreamPart>, key: string): AsyncGenerator<StreamPart> {
  const answer = new AnswerJsonStream(key);
  for await (const part of parts) yield* answer.push(part);
}
