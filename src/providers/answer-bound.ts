import { WrenError } from "../shared/errors.js";

/**
 * The most bytes one upstream answer may take, streamed or not: 64 MiB, some 400,000 streamed
 * tokens, past any model's output limit. A server that goes on (a broken replica, a LAN peer, a
 * proxy in front of a cloud API) must not grow wren's memory until the process dies.
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** The failure of an answer that went past `bytes`: the upstream is misbehaving, not the client. */
export function answerTooLarge(provider: string, bytes: number, cause?: unknown): WrenError {
  const size = bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
  return new WrenError("upstream_error", `${provider} sent an answer larger than ${size}; wren stopped reading it.`, {
    hint: `${provider} is misbehaving: no answer wren expects from it is that long. Check it, or route to another target.`,
    cause,
  });
}

/**
 * The response with its body cut off at `maxBytes`: past it, reading the body fails with
 * {@link answerTooLarge} and the connection is let go. For the SDKs' fetch, which read a
 * non-streamed answer whole and a streamed event up to its line break with no bound of their own.
 *
 * A stream of lines (SSE, NDJSON) is passed on in whole lines: the SDKs' line readers search their
 * whole buffer again at each piece, so a long line cut in many pieces cost them time in the square
 * of its length (a 64 MiB line took 30 s of CPU). Held here, a line costs its length once.
 */
export function boundedAnswer(response: Response, provider: string, maxBytes: number = MAX_ANSWER_BYTES): Response {
  if (!response.body) return response;
  const type = response.headers.get("content-type") ?? "";
  const lines = type.includes("event-stream") || type.includes("ndjson");
  let seen = 0;
  /** The start of a line not yet ended, in pieces. */
  let held: Uint8Array[] = [];
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) return controller.error(answerTooLarge(provider, maxBytes));
        if (!lines) return controller.enqueue(chunk);
        const end = chunk.lastIndexOf(10) + 1;
        if (end === 0) {
          held.push(chunk);
          return;
        }
        if (held.length === 0 && end === chunk.byteLength) return controller.enqueue(chunk);
        controller.enqueue(joined([...held, chunk.subarray(0, end)]));
        held = end === chunk.byteLength ? [] : [chunk.subarray(end)];
      },
      flush(controller) {
        if (held.length > 0) controller.enqueue(joined(held));
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function joined(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.byteLength, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}
