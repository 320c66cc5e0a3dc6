import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { MAX_LINE_BYTES, oversizedReply } from "./stdio-transport.js";

/**
 * The fetch of wren's MCP HTTP transport: it reads at most `limit` bytes of one message, as the
 * stdio transport does of one line. The SDK reads a JSON answer whole (`response.json()`) and an
 * event stream's event whole, so a server that sends an endless or enormous answer would otherwise
 * grow wren's memory until the call's time limit. A JSON answer longer than that is cut off and
 * replaced by the error that says so (`oversizedReply`), for the request it answers; an event
 * longer than that ends the stream, with that error for the request. Redirects (left to the SDK's
 * own same-origin policy) and answers without a body are passed on as they are.
 */
export function boundedFetch(limit: number = MAX_LINE_BYTES, base: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!response.body || (response.status >= 300 && response.status < 400) || response.status === 204 || response.status === 205) return response;
    const id = requestId(init?.body);
    const eventStream = /^\s*text\/event-stream/i.test(response.headers.get("content-type") ?? "");
    if (eventStream) return rebuilt(response, response.body.pipeThrough(eventsAtMost(limit, id)));
    const read = await readAtMost(response.body, limit);
    if (read.whole || !response.ok || id === undefined) return rebuilt(response, Buffer.concat(read.chunks));
    const headers = new Headers(response.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    return new Response(JSON.stringify(oversizedReply(id)), { status: response.status, statusText: response.statusText, headers });
  };
}

/** The response with another body (the same status and headers, less a length that may no longer hold). */
function rebuilt(response: Response, body: ReadableStream<Uint8Array> | Buffer): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** The id of the JSON-RPC request a POST carries; undefined for a notification, a response or anything else. */
function requestId(body: unknown): string | number | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const message = JSON.parse(body) as unknown;
    if (typeof message !== "object" || message === null || !("method" in message) || !("id" in message)) return undefined;
    return typeof message.id === "string" || typeof message.id === "number" ? message.id : undefined;
  } catch {
    return undefined;
  }
}

/** The body's bytes, up to `limit` of them: all of them (`whole`), or the first ones, the rest cancelled unread. */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<{ chunks: Uint8Array[]; whole: boolean }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, whole: true };
    if (total + value.length > limit) {
      chunks.push(value.subarray(0, limit - total));
      await reader.cancel().catch(() => undefined);
      return { chunks, whole: false };
    }
    chunks.push(value);
    total += value.length;
  }
}

/**
 * Passes an event stream on while each event (the bytes up to a blank line) is at most `limit`
 * bytes; at the first longer one, ends the event cut short (the SDK's parser drops it as not
 * JSON), adds the error that answers request `id`, when there is one, and ends the stream, which
 * cancels the rest.
 */
function eventsAtMost(limit: number, id: string | number | undefined): TransformStream<Uint8Array, Uint8Array> {
  // Bytes of the event, and of its line, received so far; whether that line's last byte was CR.
  let event = 0;
  let line = 0;
  let lastWasCr = false;
  return new TransformStream({
    transform(chunk, controller) {
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(10, start);
        const end = newline === -1 ? chunk.length : newline;
        line += end - start;
        event += end - start;
        if (end > start) lastWasCr = chunk[end - 1] === 13;
        if (event > limit) {
          const error = id === undefined ? "" : `event: message\ndata: ${JSON.stringify(oversizedReply(id))}\n\n`;
          // What came before it in this chunk (whole events, or the start of this one) goes first.
          controller.enqueue(chunk.subarray(0, start));
          controller.enqueue(new TextEncoder().encode(`\n\n${error}`));
          controller.terminate();
          return;
        }
        if (newline === -1) break;
        event = line === 0 || (line === 1 && lastWasCr) ? 0 : event + 1;
        line = 0;
        lastWasCr = false;
        start = newline + 1;
      }
      controller.enqueue(chunk);
    },
  });
}
