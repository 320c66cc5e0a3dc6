import { createParser, type EventSourceParser } from "eventsource-parser";

/**
 * The `data` of each server-sent event in a byte stream, in order, up to OpenAI's `[DONE]`
 * sentinel, fed one chunk at a time. Synchronous, so a reader of the stream turns its chunks into
 * events without an extra asynchronous layer per event. An event still unterminated when the
 * stream ends is delivered by {@link end} (some servers end without the final blank line).
 */
export class SseDataReader {
  readonly #events: string[] = [];
  readonly #parser: EventSourceParser = createParser({ onEvent: (event) => this.#events.push(event.data) });
  readonly #decoder = new TextDecoder();
  /** True once `[DONE]` came: nothing after it is parsed or returned. */
  done = false;

  /** The data of the events `chunk` completes. */
  feed(chunk: Uint8Array): string[] {
    if (this.done) return [];
    this.#parser.feed(this.#decoder.decode(chunk, { stream: true }));
    return this.#drain();
  }

  /** The data of whatever event the stream's end leaves open (blank lines end it; after a complete stream they dispatch nothing). */
  end(): string[] {
    if (this.done) return [];
    this.#parser.feed(`${this.#decoder.decode()}\n\n`);
    return this.#drain();
  }

  #drain(): string[] {
    const out: string[] = [];
    for (const data of this.#events) {
      if (data === "[DONE]") {
        this.done = true;
        break;
      }
      out.push(data);
    }
    this.#events.length = 0;
    return out;
  }
}

