import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { StreamPart } from "../protocol/index.js";
import type { Generation } from "./generation.js";
import { partsOf } from "./generation.js";
import { writeToNode } from "./node-stream.js";
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
 * waiting on the socket, so a slow client never holds the decode loop (the stream buffers instead);
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
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for await (const part of partsOf(gen)) {
          for (const frame of framer.frames(part)) controller.enqueue(encoder.encode(frame));
        }
        for (const frame of framer.end?.() ?? []) controller.enqueue(encoder.encode(frame));
        controller.close();
      } catch {
        // The client went away (enqueue on a cancelled stream throws); the generation is closed below.
      } finally {
        await gen.close();
        onEnd?.();
      }
    },
    async cancel() {
      await gen.close();
    },
  });
  return new Response(body, { status: 200, headers: allHeaders });
}
