import { parseToolCalls, toolCallOpeners, type TextToolCall } from "./text-tool-calls.js";

/**
 * Streams a reply's text while holding back whatever may be a tool call written as text: from the
 * first opener (`<tool_call>`, …) on, or the whole reply when it starts with `{`. A tool call is
 * never streamed as text; the held part is parsed once the reply ends.
 */
export class HeldToolText {
  #pending = "";
  #emittedAny = false;
  #holding = false;

  /** Adds a chunk; returns the text that can go to the client now. */
  push(chunk: string): string {
    this.#pending += chunk;
    if (this.#holding) return "";
    if (!this.#emittedAny) {
      const start = this.#pending.trimStart();
      if (start === "" || start.startsWith("{")) {
        this.#holding = start !== "";
        return "";
      }
    }
    const at = firstOpener(this.#pending);
    if (at !== undefined) {
      this.#holding = true;
      return this.#take(at);
    }
    return this.#take(this.#pending.length - partialOpenerLength(this.#pending));
  }

  /** The reply ended: the rest of its text, and the tool calls found in what was held. */
  end(): { text: string; calls: TextToolCall[] } {
    const held = this.#pending;
    this.#pending = "";
    return parseToolCalls(held);
  }

  #take(length: number): string {
    const out = this.#pending.slice(0, length);
    this.#pending = this.#pending.slice(length);
    if (out) this.#emittedAny = true;
    return out;
  }
}

function firstOpener(text: string): number | undefined {
  let first: number | undefined;
  for (const opener of toolCallOpeners) {
    const at = text.indexOf(opener);
    if (at >= 0 && (first === undefined || at < first)) first = at;
  }
  return first;
}

/** How many characters at the end of `text` could be the start of an opener still arriving. */
function partialOpenerLength(text: string): number {
  let longest = 0;
  for (const opener of toolCallOpeners) {
    for (let n = Math.min(opener.length - 1, text.length); n > longest; n--) {
      if (text.endsWith(opener.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}
