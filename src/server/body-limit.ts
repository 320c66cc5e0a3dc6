import { IncomingMessage } from "node:http";
import type { Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Context, MiddlewareHandler } from "hono";
import { WrenError } from "../shared/errors.js";

/**
 * The content codings a request body may come in, and their decoders: what HTTP clients and SDKs
 * compress request bodies with (RFC 9110 names `x-gzip` as another name of gzip).
 */
const decoders: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  "x-gzip": () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/** What a 415 says wren takes (its `accept-encoding`, as RFC 9110 asks of a 415 for a content coding). */
const ACCEPTED_ENCODINGS = "gzip, deflate, br";

/**
 * How a body whose size its headers do not state is read: counted as it arrives (chunked), or as
 * it is decoded (compressed: `encoding`, a key of {@link decoders}), refused past `maxSize` bytes.
 */
export interface CountedBody {
  maxSize: number;
  encoding?: string;
  /**
   * The size `content-length` states, for a body read as it is (no content-encoding): it is
   * gathered into one buffer of that size chunk by chunk as it comes, so no copy of the whole body
   * is made at its end (joining 16 MB held the server's thread for some 100 ms).
   */
  length?: number;
}

/**
 * Where a request whose body is counted as it is read keeps how: on the request itself, as its
 * scope is (see server-context.ts), set by {@link bodySizeLimit} and read by the one place that
 * reads bodies (parse-body.ts).
 */
const countedKey = Symbol("wren.countedBody");
type CountedRequest = Request & { [countedKey]?: CountedBody };

/** How {@link bodySizeLimit} marked a request's body to be counted as it is read, if it did: chunked, compressed, or both. */
export function countedBody(request: Request): CountedBody | undefined {
  return (request as CountedRequest)[countedKey];
}

/** The refusal of a body over `maxSize` bytes. */
export function bodyTooLarge(maxSize: number, encoding?: string): WrenError {
  const decoded = encoding === undefined ? "" : ` once decoded (content-encoding ${encoding})`;
  return new WrenError("payload_too_large", `The request body is larger than ${Math.round(maxSize / 1024 / 1024)} MiB${decoded}.`, {
    hint: "Send a smaller request (shorter prompt, fewer or smaller images).",
  });
}

/**
 * The coding of a body sent with `content-encoding: header`: one wren decodes, or none
 * (`identity`); any other, or more than one, is refused with 415.
 */
function bodyEncoding(header: string): string | undefined {
  const codings = header
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  if (codings.length === 0) return undefined;
  const [coding] = codings;
  if (codings.length === 1 && coding !== undefined && Object.hasOwn(decoders, coding)) return coding;
  throw new WrenError("unsupported", `The request body is encoded with '${header.trim()}', which wren serve does not decode.`, {
    status: 415,
    hint: `Send the body uncompressed, or compressed once with one of ${ACCEPTED_ENCODINGS} (named in content-encoding).`,
    details: { param: "content-encoding" },
  });
}

/**
 * Refuses request bodies over `maxSize` bytes. A body whose `content-length` states its size (what
 * every client sends for a JSON request) is judged by that header alone. A chunked body is not read
 * here: it is counted as the route reads it (parse-body.ts), which is after the body budget has
 * held room for it. Reading it here, before the budget, let any number of chunked bodies of up to
 * `maxSize` arrive whole at once (100 of 15 MB took wren serve to 2 GB, where declared ones stay
 * within `server.maxBodyBytesInFlight`).
 *
 * A compressed body (`content-encoding` gzip, deflate or br) is decoded as the route reads it, and
 * its decoded size is what is held to `maxSize`: decoding stops, and the body is refused, as soon
 * as it passes that, so a small body that inflates to gigabytes (a zip bomb) costs no more than
 * `maxSize`. Its size on the wire says nothing of that, so the body budget holds `maxSize` for it,
 * as for a chunked body. A coding wren does not decode is refused here with 415.
 */
export function bodySizeLimit(maxSize: number, onError: (c: Context, error: WrenError) => Response): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    // The Node server gives these no body, whatever their headers say.
    if (method === "GET" || method === "HEAD") return next();
    const coding = c.req.header("content-encoding");
    let encoding: string | undefined;
    try {
      encoding = coding === undefined ? undefined : bodyEncoding(coding);
    } catch (error) {
      const refused = onError(c, error as WrenError);
      refused.headers.set("accept-encoding", ACCEPTED_ENCODINGS);
      return refused;
    }
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      // Node's HTTP parser has already refused a content-length that is not a number.
      if (Number.parseInt(length, 10) > maxSize) return onError(c, bodyTooLarge(maxSize));
      if (encoding === undefined) return next();
    }
    (c.req.raw as CountedRequest)[countedKey] = encoding === undefined ? { maxSize } : { maxSize, encoding };
    return next();
  };
}

/**
 * Reads a body whose size its headers do not state, refusing it with {@link bodyTooLarge} as soon
 * as more than `maxSize` bytes have come, or been decoded. The rest is left unread, the connection
 * open for the refusal (which closes it: the error handler sees a body that did not arrive whole).
 */
export function readCounted(body: IncomingMessage | ReadableStream<Uint8Array> | null, counted: CountedBody): Promise<Uint8Array> {
  const collected = new Collected(counted);
  if (body === null) collected.end();
  else if (body instanceof IncomingMessage) readIncoming(body, collected);
  else void readStream(body, collected);
  return collected.done;
}

/**
 * A counted body's bytes as they come: kept as they are, or through the decoder its
 * content-encoding names, at most `maxSize` of them either way (and at most `maxSize` on the wire).
 * Decoding runs off the server's thread (zlib's), and its output is counted chunk by chunk.
 */
class Collected {
  readonly done: Promise<Uint8Array>;
  readonly #counted: CountedBody;
  readonly #decoder: Transform | undefined;
  readonly #chunks: Uint8Array[] = [];
  /** The body's own buffer when its length is known ({@link CountedBody.length}), filled as chunks come. */
  #whole: Uint8Array | undefined;
  /** Bytes kept (decoded, for a compressed body). */
  #size = 0;
  /** Bytes received. */
  #received = 0;
  #settled = false;
  #resolve!: (bytes: Uint8Array) => void;
  #reject!: (error: unknown) => void;

  constructor(counted: CountedBody) {
    this.#counted = counted;
    // Not zero-filled (every byte is written before it is read, and only those written are kept);
    // a small one comes from Node's pool instead of an allocation of its own per request.
    if (counted.length !== undefined && counted.encoding === undefined) this.#whole = Buffer.allocUnsafe(counted.length);
    this.done = new Promise<Uint8Array>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const encoding = counted.encoding;
    const decode = encoding === undefined ? undefined : decoders[encoding];
    if (encoding === undefined || decode === undefined) return;
    const decoder = decode();
    decoder.on("data", (chunk: Buffer) => this.#keep(chunk));
    decoder.once("end", () => this.#finish());
    decoder.once("error", (cause: Error) =>
      this.fail(
        new WrenError("bad_request", `The request body is not valid ${encoding} data (${cause.message}).`, {
          cause,
          hint: "Send the body compressed as its content-encoding header says, or uncompressed without that header.",
        }),
      ),
    );
    this.#decoder = decoder;
  }

  get settled(): boolean {
    return this.#settled;
  }

  write(chunk: Uint8Array): void {
    if (this.#settled) return;
    this.#received += chunk.byteLength;
    if (this.#received > this.#counted.maxSize) this.fail(bodyTooLarge(this.#counted.maxSize));
    else if (this.#decoder) this.#decoder.write(chunk);
    else this.#keep(chunk);
  }

  /** The whole body has come. */
  end(): void {
    if (this.#settled) return;
    if (this.#decoder) this.#decoder.end();
    else this.#finish();
  }

  fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks.length = 0;
    this.#whole = undefined;
    this.#decoder?.destroy();
    this.#reject(error);
  }

  #keep(chunk: Uint8Array): void {
    if (this.#settled) return;
    this.#size += chunk.byteLength;
    if (this.#size > this.#counted.maxSize) this.fail(bodyTooLarge(this.#counted.maxSize, this.#counted.encoding));
    else if (this.#whole) this.#whole.set(chunk, this.#size - chunk.byteLength);
    else this.#chunks.push(chunk);
  }

  #finish(): void {
    if (this.#settled) return;
    this.#settled = true;
    // Node's parser ends a declared body only once all of it came; fewer bytes is a closed connection.
    this.#resolve(this.#whole ? this.#whole.subarray(0, this.#size) : joined(this.#chunks, this.#size));
  }
}

function readIncoming(incoming: IncomingMessage, collected: Collected): void {
  const onData = (chunk: Buffer): void => collected.write(chunk);
  const onEnd = (): void => collected.end();
  const onError = (error: Error): void => collected.fail(error);
  const onClose = (): void => {
    // After its end, closing is only the request's stream being done (the decoder may still be at work).
    if (!incoming.readableEnded) collected.fail(new Error("Client connection prematurely closed."));
  };
  incoming.on("data", onData);
  incoming.once("end", onEnd);
  incoming.once("error", onError);
  incoming.once("close", onClose);
  const detach = (): void => {
    incoming.off("data", onData);
    incoming.off("end", onEnd);
    incoming.off("error", onError);
    incoming.off("close", onClose);
  };
  collected.done.then(detach, () => {
    detach();
    // Not destroyed: that would close the socket before the refusal is written.
    if (!incoming.complete) incoming.pause();
  });
}

async function readStream(body: ReadableStream<Uint8Array>, collected: Collected): Promise<void> {
  const reader = body.getReader();
  // A refusal found by the decoder stops the reading too.
  collected.done.catch(() => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || collected.settled) break;
      collected.write(value);
    }
    collected.end();
  } catch (error) {
    collected.fail(error);
  }
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
