import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { StreamPart } from "../protocol/index.js";
import type { Generation } from "./generation.js";
import { partsOf } from "./generation.js";
import { MAX_UNSENT_BYTES, writeToNode } from "./node-stream.js";
import { provenanceHeaders } from "./provenance.js";

/** How one dialect frames parts on the wire (SSE events or NDJSON lines). */
export interface Framer {
  contentType: string;
  /** Frames for one part, in order (often none). */
  frames(part: StreamPart): string[];
  /** Frames after the last part (e.g. `data: [DONE]`). */
  end?(): string[];
}

/** `data: JSON` as one SSE event, optionally named. */
export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
}

/**
 * node-server's answer for "the route wrote the response itself", which it leaves alone only as
 * the platform's own Response: made before node-server replaced the global `Response` with its
 * own subclass, as it is when this module loads first. Otherwise none, and streams take the web path.
 */
const alreadySent = Object.getPrototypeOf(Object.getPrototypeOf(RESPONSE_ALREADY_SENT)) === Object.prototype ? RESPONSE_ALREADY_SENT : undefined;

/**
 * Streams a generation to the client, with the provenance headers (`x-wren-provider`, ...) known
 * from the generation's start. Frames are written as the model produces them without
 * waiting on the socket, so a slow client never holds the decode loop (up to a bound, the stream
 * buffers instead; past it a local model's own stream does, and a cloud stream waits);
 * a client that goes away cancels the stream, which aborts the generation and frees its sequence.
 * Served by Node, the frames go to Node's response directly (see {@link writeToNode}); otherwise
 * (`app.request()`, CORS on) through the web Response returned.
 */
export function streamResponse(gen: Generation, framer: Framer, headers: Record<string, string>, onEnd?: () => void): Response {
  const allHeaders = {
    "content-type": framer.contentType,
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
    ...(gen.provenanceUnknown ? {} : provenanceHeaders(gen.provenance)),
    ...headers,
  };
  if (gen.response && alreadySent) {
    writeToNode(gen, framer, gen.response, allHeaders, onEnd);
    return alreadySent;
  }
  const encoder = new TextEncoder();
  const parts = partsOf(gen)[Symbol.asyncIterator]();
  let finished = false;
  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    await gen.close();
    onEnd?.();
  };
  // Parts are taken as the client reads, up to MAX_UNSENT_BYTES ahead of it (see writeToNode).
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // At least one frame per pull: a pull that enqueues nothing is not called again.
          for (;;) {
            const r = await parts.next();
            if (r.done) {
              for (const frame of framer.end?.() ?? []) controller.enqueue(encoder.encode(frame));
              controller.close();
              await finish();
              return;
            }
            const frames = framer.frames(r.value);
            for (const frame of frames) controller.enqueue(encoder.encode(frame));
            if (frames.length > 0) return;
          }
        } catch (error) {
          // The client went away (enqueue on a cancelled stream throws), or a frame could not be made:
          // the client sees the stream cut rather than wait on it.
          try {
            controller.error(error);
          } catch {
            // Already cancelled.
          }
          await finish();
        }
      },
      async cancel() {
        await finish();
      },
    },
    { highWaterMark: MAX_UNSENT_BYTES, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, { status: 200, headers: allHeaders });
}
