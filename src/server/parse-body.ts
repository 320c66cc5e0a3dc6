import { IncomingMessage } from "node:http";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Context } from "hono";
import type { z } from "zod";
import { abortReason, untilAborted } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";
import { checkSignedBody } from "../shared/peer-signature.js";
import { peerSignatureOf } from "./auth.js";
import { checkBody, type BodyCheck, type BodyFault } from "./body-check.js";
import { countedBody, readCounted, type CountedBody } from "./body-limit.js";
import { bodySchemaName } from "./body-schemas.js";
import { BodyWorker } from "./body-worker.js";
import { openedScope } from "./server-context.js";

/**
 * Bodies longer than this are parsed and checked on the body-parsing worker. Below it the work is
 * well under a millisecond; above it a hostile body (a 400 KB array of 200,000 numbers where
 * strings belong, each a schema issue) already costs tens of milliseconds and as much garbage.
 */
const WORKER_BODY_BYTES = 64 * 1024;

/** Decodes small bodies: stateless between calls, so one serves every request (each made its own, opening a converter every time). */
const utf8 = new TextDecoder();

/** One worker per process, started by the first large body. */
const worker = new BodyWorker();

function refuse(fault: BodyFault): WrenError {
  return new WrenError("bad_request", fault.message, { hint: fault.hint, ...(fault.param !== undefined ? { details: { param: fault.param } } : {}) });
}

/**
 * Reads the body as JSON and checks it against the dialect's schema; a bad body is a 400 that says
 * which field. JSON nested deeper than 64 levels is refused before any schema, template or grammar
 * code recurses into it. A large body is parsed and checked off the server's thread (see
 * {@link BodyWorker}), so it never holds other requests (`/health` among them).
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const bytes = await readBytes(c);
  const name = bytes.length > WORKER_BODY_BYTES ? bodySchemaName(schema) : undefined;
  if (name === undefined) return checked(await checkInSteps(bytes, schema));
  const outcome = await worker.check(bytes, name).catch((error: unknown) => {
    // The worker itself failed (not the body): checked here instead, with a turn of the event loop first.
    if (error instanceof WrenError && error.code === "internal") return undefined;
    throw error;
  });
  if (outcome === undefined) return checked(await checkInSteps(bytes, schema));
  if (!outcome.ok) throw refuse(outcome.fault);
  // Checked once, on the worker, by the schema registered under this schema's own name: the
  // output it sent back is this schema's (the wire schemas' outputs are plain data, which crosses
  // threads intact). Checking it again here held the server's thread for as long again as the
  // schema check took (2.4 ms for an Anthropic body of 2,000 short turns).
  return outcome.data as z.infer<S>;
}

/**
 * Parses JSON text that did not come as a request body (a WebSocket message) and checks it against
 * `schema`, as {@link parseBody} does a body: past 64 KB on the body-parsing worker, so a large
 * message never holds the server's thread. A bad one is a `bad_request` naming its first problem.
 */
export async function parseJsonText<S extends z.ZodType>(text: string, schema: S): Promise<z.infer<S>> {
  const name = text.length > WORKER_BODY_BYTES ? bodySchemaName(schema) : undefined;
  const outcome =
    name === undefined
      ? checkBody(text, schema)
      : await worker.check(Buffer.from(text, "utf8"), name).catch((error: unknown) => {
          if (error instanceof WrenError && error.code === "internal") return checkBody(text, schema);
          throw error;
        });
  if (outcome.ok) return outcome.data as z.infer<S>;
  const fault = outcome.fault;
  // Worded for a message: a body's wording speaks of content-type, which a socket has none of.
  if (fault.syntax !== undefined) throw refuse({ message: `The message is not valid JSON (${fault.syntax}).`, hint: "Send the chat request as one JSON text message." });
  throw refuse(fault);
}

function checked<T>(result: BodyCheck<T>): T {
  if (!result.ok) throw refuse(result.fault);
  return result.data;
}

/**
 * Bodies of a schema the worker does not know (built by a route itself) are checked here, with a
 * turn of the event loop before a large one.
 */
async function checkInSteps<S extends z.ZodType>(bytes: Uint8Array, schema: S): Promise<ReturnType<typeof checkBody<S>>> {
  if (bytes.length > WORKER_BODY_BYTES) await nextTurn();
  return checkBody(utf8.decode(bytes), schema);
}

/**
 * The body's bytes as they arrived (decoded later, in one place, on whichever thread parses it),
 * read from Node's request, not a web Request and stream. A body whose `content-length` states its
 * size goes into one buffer of that size as its chunks come; the Node server's `arrayBuffer()`
 * copied the whole body twice at its end (16 MB held the server's thread for 130 ms, `/health`
 * waiting). The buffer is the body's own, so it moves to the worker without a copy. A chunked or
 * compressed body, whose size is known only once read, is counted (and decoded) as it arrives
 * (see body-limit.ts). Outside Node, the web body is read. A request a peer signed (see auth.ts)
 * is refused with 401 when its body is not the one the signature covers.
 */
async function readBytes(c: Context): Promise<Uint8Array> {
  const env = (c.env as { incoming?: unknown } | undefined)?.incoming;
  const incoming = env instanceof IncomingMessage ? env : undefined;
  const counted = countedBody(c.req.raw) ?? declaredBody(incoming);
  const read = counted === undefined ? c.req.arrayBuffer().then((buffer) => new Uint8Array(buffer)) : readCounted(incoming ?? c.req.raw.body, counted);
  // A body still arriving is read for as long as its request's signal lets it: the client going
  // away, the server's request timeout, or a slow body cut while others wait for its room (408).
  const scope = openedScope(c.req.raw);
  const signal = incoming && !incoming.complete ? scope?.signal : undefined;
  const bytes = signal ? await untilAborted(read, signal) : await read;
  if (scope?.waitedForRoom) await clientStillThere(scope.signal);
  // A peer's signed request: its body is checked against the signature here, where it is read once.
  const signed = peerSignatureOf(c.req.raw);
  if (signed) checkSignedBody(signed, bytes);
  return bytes;
}

/**
 * A request that waited, unread, for room (see BodyBudget) may have a client that sent it whole and
 * then left: the client's end lies in the socket behind the body, and the socket is read again only
 * since its turn came, so the end may come a pass of the event loop after the body (two `setImmediate`s
 * span one whole pass over the sockets, the one just resumed included). Heard of here, before the
 * request is sent on to a model or a teacher (and paid for), it ends with the client's going.
 * Only such requests pay the wait; an end still in the client's own kernel when the body was read
 * (a body larger than the server's socket takes unread) may come later still, and cancels the
 * request's work when it does.
 */
async function clientStillThere(signal: AbortSignal): Promise<void> {
  await nextTurn();
  await nextTurn();
  if (signal.aborted) throw abortReason(signal);
}

/** How to read a Node request's body whose `content-length` states its size (already held to the body limit by body-limit.ts). */
function declaredBody(incoming: IncomingMessage | undefined): CountedBody | undefined {
  const length = incoming?.headers["content-length"];
  if (length === undefined || incoming?.headers["transfer-encoding"] !== undefined) return undefined;
  const size = Number.parseInt(length, 10);
  return Number.isSafeInteger(size) && size >= 0 ? { maxSize: size, length: size } : undefined;
}

/** The per-request context length from the `x-wren-context-length` header, if any. */
export function contextLengthHeader(c: Context): number | undefined {
  const value = c.req.header("x-wren-context-length");
  if (value === undefined) return undefined;
  const digits = value.trim();
  const n = /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 16) {
    throw new WrenError("bad_request", `x-wren-context-length must be an integer of at least 16, got '${value}'.`, {
      hint: "Send the context window you need in tokens, e.g. x-wren-context-length: 4096.",
    });
  }
  return n;
}
