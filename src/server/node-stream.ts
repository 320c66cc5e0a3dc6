import type { ServerResponse } from "node:http";
import type { Generation } from "./generation.js";
import type { Framer } from "./stream-response.js";

/**
 * Writes a generation's frames straight to Node's response: no web stream, encoder or reader
 * between the model and the socket, and one write per turn of the event loop. Every write to a
 * socket is a system call that wakes the client, which on a busy machine costs more than the
 * rest of routing a request: the frames of one turn (a stream whose parts arrived in one read,
 * often a whole answer with its end) are sent together, with the status line and headers in the
 * first. The headers go out in the first turn even when no frame is ready (a first token past
 * `streamHeadersAfterMs`). A slow client never holds the model: Node buffers what it has not
 * taken yet. A client that goes away aborts the request's signal, which stops the model.
 */
export function writeToNode(gen: Generation, framer: Framer, res: ServerResponse, headers: Record<string, string>, onEnd?: () => void): void {
  try {
    res.writeHead(200, headers);
  } catch (error) {
    // A header Node refuses: the route's error answer goes out instead, and the model is let go.
    void gen.close();
    throw error;
  }
  let pending = "";
  let scheduled = true;
  // Node's own `headersSent` is true from writeHead on, before anything reached the socket.
  let sent = false;
  const flush = (): void => {
    scheduled = false;
    if (res.writableEnded || res.destroyed) return;
    if (pending) res.write(pending);
    else if (!sent) res.flushHeaders();
    pending = "";
    sent = true;
  };
  setImmediate(flush);
  const add = (frames: string[]): void => {
    for (const frame of frames) pending += frame;
    if (scheduled || !pending) return;
    scheduled = true;
    setImmediate(flush);
  };
  void (async () => {
    try {
      for (const part of gen.head) add(framer.frames(part));
      for (;;) {
        const r = await gen.parts.next();
        if (r.done) break;
        add(framer.frames(r.value));
      }
      if (!res.destroyed) {
        for (const frame of framer.end?.() ?? []) pending += frame;
        res.end(pending);
        pending = "";
      }
    } catch {
      // A frame that could not be made: the client sees the stream cut rather than wait on it.
      res.destroy();
    } finally {
      await gen.close();
      onEnd?.();
    }
  })();
}
