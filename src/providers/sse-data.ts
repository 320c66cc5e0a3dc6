import { createParser, type EventSourceParser } from "eventsource-parser";

/**
 * Decodes the chunks that end on a whole character, for every reader: a decoder of a reader's own,
 * made per streamed answer, opened a converter of its own on its first chunk (about 3 µs of every
 * streamed request through wren serve). Its leading BOM is the reader's to drop (see
 * {@link SseDataReader.feed}), as a stream's own decoder drops it at the stream's start only.
 */
const wholeChunks = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * The `data` of each server-sent event in a byte stream, in order, up to OpenAI's `[DONE]`
 * sentinel, fed one chunk at a time. Synchronous, so a reader of the stream turns its chunks into
 * events without an extra asynchronous layer per event. An event still unterminated when the
 * stream ends is delivered by {@link end} (some servers end without the final blank line).
 */
export class SseDataReader {
  readonly #events: string[] = [];
  readonly #parser: EventSourceParser = createParser({ onEvent: (event) => this.#events.push(event.data) });
  /**
   * The stream's own decoder, made by the first chunk that ends inside a character (its rest comes
   * with the next chunk) and used for every chunk after it; until then none is held back, and each
   * chunk (events end with a line break, so nearly every one) is decoded whole.
   */
  #decoder: InstanceType<typeof TextDecoder> | undefined;
  /** True once the stream's first character is decoded: a BOM is dropped there only, as a stream's decoder does. */
  #started = false;
  /** True once `[DONE]` came: nothing after it is parsed or returned. */
  done = false;

  /** The data of the events `chunk` completes. */
  feed(chunk: Uint8Array): string[] {
    if (this.done) return [];
    const last = chunk.length === 0 ? 0 : chunk[chunk.length - 1]!;
    if (this.#decoder === undefined && last >= 0x80) this.#decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    this.#parser.feed(this.#text(this.#decoder ? this.#decoder.decode(chunk, { stream: true }) : wholeChunks.decode(chunk)));
    return this.#drain();
  }

  /** The data of whatever event the stream's end leaves open (blank lines end it; after a complete stream they dispatch nothing). */
  end(): string[] {
    if (this.done) return [];
    this.#parser.feed(`${this.#text(this.#decoder?.decode() ?? "")}\n\n`);
    return this.#drain();
  }

  /** `text` as it goes on to the parser: the stream's leading BOM dropped. */
  #text(text: string): string {
    if (this.#started || text.length === 0) return text;
    this.#started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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

