import { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { WrenError } from "../shared/errors.js";

/**
 * Where a request whose body has no declared size (chunked) keeps the most bytes it may read: on
 * the request itself, as its scope is (see server-context.ts), set by {@link bodySizeLimit} and read
 * by the one place that reads bodies (parse-body.ts).
 */
const limitKey = Symbol("wren.chunkedBodyLimit");
type LimitedRequest = Request & { [limitKey]?: number };

/** The limit {@link bodySizeLimit} set on a request whose body is counted as it is read, if any. */
export function chunkedBodyLimit(request: Request): number | undefined {
  return (request as LimitedRequest)[limitKey];
}

/** The refusal of a body over `maxSize` bytes. */
export function bodyTooLarge(maxSize: number): WrenError {
  return new WrenError("payload_too_large", `The request body is larger than ${Math.round(maxSize / 1024 / 1024)} MiB.`, {
    hint: "Send a smaller request (shorter prompt, fewer or smaller images).",
  });
}

/**
 * Refuses request bodies over `maxSize` bytes. A body whose `content-length` states its size (what
 * every client sends for a JSON request) is judged by that header alone. A chunked body is not read
 * here: it is counted as the route reads it (parse-body.ts), which is after the body budget has
 * held room for it. Reading it here, before the budget, let any number of chunked bodies of up to
 * `maxSize` arrive whole at once (100 of 15 MB took wren serve to 2 GB, where declared ones stay
 * within `server.maxBodyBytesInFlight`).
 */
export function bodySizeLimit(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    // The Node server gives these no body, whatever their headers say.
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      // Node's HTTP parser has already refused a content-length that is not a number.
      if (Number.parseInt(length, 10) > maxSize) return onError(c);
      return next();
    }
    (c.req.raw as LimitedRequest)[limitKey] = maxSize;
    return next();
  };
}

/**
 * Reads a body of unknown size, refusing it with {@link bodyTooLarge} as soon as more than
 * `maxSize` bytes have come. The rest is left unread, the connection open for the refusal (which
 * closes it: the error handler sees a body that did not arrive whole).
 */
export function readCounted(body: IncomingMessage | ReadableStream<Uint8Array> | null, maxSize: number): Promise<Uint8Array> {
  if (body === null) return Promise.resolve(new Uint8Array(0));
  if (body instanceof IncomingMessage) return readIncoming(body, maxSize);
  return readStream(body, maxSize);
}

function readIncoming(incoming: IncomingMessage, maxSize: number): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const done = (): void => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > maxSize) {
        done();
        // Not destroyed: that would close the socket before the 413 is written.
        incoming.pause();
        reject(bodyTooLarge(maxSize));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(joined(chunks, size));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      done();
      reject(new Error("Client connection prematurely closed."));
    };
    incoming.on("data", onData);
    incoming.once("end", onEnd);
    incoming.once("error", onError);
    incoming.once("close", onClose);
  });
}

async function readStream(body: ReadableStream<Uint8Array>, maxSize: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxSize) {
      void reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxSize);
    }
    chunks.push(value);
  }
  return joined(chunks, size);
}

/** The chunks as one buffer of its own (the body-parsing worker takes it without a copy). */
function joined(chunks: Uint8Array[], size: number): Uint8Array {
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return whole;
}
