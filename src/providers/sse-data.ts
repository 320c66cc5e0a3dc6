import { createParser } from "eventsource-parser";

/**
 * The `data` of each server-sent event in a byte stream, in order, up to OpenAI's `[DONE]`
 * sentinel (the stream is still read to its end). An event still unterminated when the stream
 * ends is delivered too (some servers end without the final blank line).
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const events: string[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event.data) });
  const decoder = new TextDecoder();
  const drain = function* (): Generator<string, boolean> {
    for (let i = 0; i < events.length; i++) {
      const data = events[i]!;
      if (data === "[DONE]") return true;
      yield data;
    }
    events.length = 0;
    return false;
  };
  let done = false;
  for await (const chunk of body) {
    // Past `[DONE]` the rest is read to its end, not parsed: a response left half-read would cost
    // its kept-alive connection (undici closes a body destroyed before its end).
    if (done) continue;
    parser.feed(decoder.decode(chunk, { stream: true }));
    done = yield* drain();
  }
  if (done) return;
  // Blank lines end whatever event is still open; after a complete stream they dispatch nothing.
  parser.feed(`${decoder.decode()}\n\n`);
  yield* drain();
}
