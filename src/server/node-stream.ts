import type { ServerResponse } from "node:http";
import type { Generation } from "./generation.js";
import type { Framer } from "./stream-response.js";

/**
 * Bytes of frames a streamed answer may leave waiting for a client that does not read them. Without
 * a bound, a client that never read kept its whole answer in the server's memory: 4 such clients of
 * a cloud route held 270 MB (each answer up to the 64 MiB bound on a cloud answer), and nothing
 * bounded how many clients did so.
 */
export const MAX_UNSENT_BYTES = 1024 * 1024;

/** Resolves once `res` has written out what it held, or has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * Writes a generation's frames straight to Node's response: no web stream, encoder or reader
 * between the model and the socket, and one write per turn of the event loop. Every write to a
 * socket is a system call that wakes the client, which on a busy machine costs more than the
 * rest of routing a request: the frames of one turn (a stream whose parts arrived in one read,
 * often a whole answer with its end) are sent together, with the status line and headers in the
 * first. The headers go out in the first turn even when no frame is ready (a first token past
 * `streamHeadersAfterMs`). A slow client never holds the model: Node buffers what it has not
 * taken yet, up to {@link MAX_UNSENT_BYTES}; past that no more parts are taken from the generation
 * until the client has read what is waiting (a local model keeps decoding into its own stream, at
 * most its context; a cloud stream is read no further, so its upstream waits). A client that goes
 * away aborts the request's signal, which stops the model.
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
        if (res.writableLength + pending.length > MAX_UNSENT_BYTES) {
          // Out now, so that Node's buffer holds it all and says when it has gone.
          flush();
          if (res.writableNeedDrain && !res.destroyed) await drained(res);
        }
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
