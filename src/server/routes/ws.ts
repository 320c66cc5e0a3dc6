import { upgradeWebSocket } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { toWrenError, WrenError } from "../../shared/errors.js";
import { formatWait } from "../../shared/wait-text.js";
import { openaiChatRequestSchema, type OpenAIChatRequest } from "../../wire/openai/index.js";
import { openaiChatToRequest } from "../codecs/openai-request.js";
import { FirstToolCallFilter } from "../codecs/one-tool-call.js";
import type { StoredChatCompletions } from "../codecs/openai-stored.js";
import { OpenAIChunker } from "../codecs/openai-response.js";
import { errorPartBody, errorResponse } from "../error-body.js";
import { partsOf, startGeneration } from "../generation.js";
import { newId, nowSeconds } from "../ids.js";
import { parseJsonText } from "../parse-body.js";
import { signalScope } from "../request-scope.js";
import type { ServerContext } from "../server-context.js";
import { Outbox, type CallbackSocket } from "./ws-outbox.js";

/** Bounds on what one `/v1/ws` socket holds. */
export interface WebSocketLimits {
  /**
   * Milliseconds a socket may stay open with no message from its client and no generation running
   * before the server closes it (code 1000, the reason says it was idle). Default 300000 (5 min).
   */
  idleTimeoutMs?: number;
  /**
   * Bytes of a generation's messages that may wait unsent (a client not reading); past them the
   * generation waits for the client to read. One that has not read for `idleTimeoutMs` is closed
   * with 1008 and its generation cancelled. Default 1 MiB, as a streamed HTTP answer.
   */
  maxUnsentBytes?: number;
}

export const DEFAULT_WS_IDLE_TIMEOUT_MS = 300_000;
export const DEFAULT_WS_MAX_UNSENT_BYTES = 1024 * 1024;


const cancelSchema = z.object({ type: z.literal("cancel") });

/** `{"type":"cancel"}`: a few bytes, so only a short message is read for it. */
function isCancel(text: string): boolean {
  if (text.length > 256) return false;
  try {
    return cancelSchema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

interface Socket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** The `ws` WebSocket under hono's context. */
  raw?: unknown;
}

/**
 * `/v1/ws`: the client sends an OpenAI chat request as one JSON message and receives the same
 * chunks the SSE stream carries (then `[DONE]`); `{"type":"cancel"}` stops the generation in
 * flight. One generation at a time per socket; closing the socket cancels it too. A request with
 * `store: true` is kept in `stored`, the store of the HTTP chat completions route. An idle socket,
 * or one whose client stops reading, is closed ({@link WebSocketLimits}); runtime/ caps how many are open.
 */
export function websocketRoute(ctx: ServerContext, stored: StoredChatCompletions, limits: WebSocketLimits = {}): MiddlewareHandler {
  const idleMs = limits.idleTimeoutMs ?? DEFAULT_WS_IDLE_TIMEOUT_MS;
  const maxUnsent = limits.maxUnsentBytes ?? DEFAULT_WS_MAX_UNSENT_BYTES;
  return upgradeWebSocket((c) => {
    // The upgrade request passed the auth middleware: every message on the socket is that client's.
    const client = ctx.scope(c.req.raw).client;
    let current: AbortController | undefined;
    // A message being parsed and checked (a large one on the body-parsing worker): the socket is busy as if generating.
    let parsing = false;
    let closed = false;
    // Aborted when the socket closes: a message waiting for room under the bound on bodies stops waiting.
    const gone = new AbortController();
    const outbox = new Outbox(maxUnsent);
    let timer: NodeJS.Timeout | undefined;
    /** Closes the socket after `idleMs` unless something happens first (see {@link settle}). */
    const closeAfterIdle = (ws: Socket, code: number, reason: string): void => {
      clearTimeout(timer);
      if (closed || idleMs <= 0) return;
      timer = setTimeout(() => {
        closed = true;
        ws.close(code, reason);
        // ws reports the close only once the client answers it (or after 30 s): what runs stops now.
        const why = new WrenError("aborted", reason);
        gone.abort(why);
        current?.abort(why);
      }, idleMs);
      timer.unref();
    };
    /** After each message is handled: a socket with nothing running starts counting idle time. */
    const settle = (ws: Socket): void => {
      if (current || parsing) clearTimeout(timer);
      else closeAfterIdle(ws, 1000, `Idle for ${formatWait(idleMs)}: open a new socket to send another request.`);
    };
    const sendError = (ws: Socket, error: unknown): void => {
      ws.send(JSON.stringify(errorResponse(toWrenError(error), "openai").body));
    };
    const busy = (ws: Socket): boolean => {
      if (!current && !parsing) return false;
      sendError(ws, new WrenError("bad_request", "A generation is already running on this socket.", { hint: 'Wait for [DONE] or send {"type":"cancel"} first.' }));
      return true;
    };
    const generate = async (ws: Socket, body: OpenAIChatRequest): Promise<void> => {
      const abort = new AbortController();
      current = abort;
      const raw = ws.raw as CallbackSocket;
      const send = (text: string): void => outbox.send(raw, text);
      try {
        const gen = await startGeneration(ctx, "openai", body.model, openaiChatToRequest(body, undefined), signalScope(abort.signal, client));
        const ids = { id: newId("chatcmpl-"), created: nowSeconds(), model: body.model };
        const chunker = new OpenAIChunker(ids, body.stream_options?.include_usage === true);
        const calls = body.parallel_tool_calls === false ? new FirstToolCallFilter() : undefined;
        const record = stored.recorder(body, ids);
        for await (const part of partsOf(gen)) {
          if (part.type === "error") send(JSON.stringify(errorPartBody(part.error, "openai")));
          if (calls && !calls.keep(part)) continue;
          record?.(part);
          for (const chunk of chunker.push(part)) send(JSON.stringify(chunk));
          if (outbox.full) {
            // The client is not reading: the generation waits, and a socket still not read after the idle timeout closes.
            closeAfterIdle(ws, 1008, `The client did not read its answer for ${formatWait(idleMs)}; the generation was cancelled.`);
            await outbox.drained(abort.signal);
            clearTimeout(timer);
          }
        }
        send("[DONE]");
      } finally {
        if (current === abort) current = undefined;
      }
    };
    return {
      onOpen(_event, ws) {
        settle(ws);
      },
      onMessage(event, ws) {
        clearTimeout(timer);
        const data = (event as { data: unknown }).data;
        if (typeof data !== "string") {
          sendError(ws, new WrenError("bad_request", "A WebSocket message must be JSON text, not a binary frame.", { hint: "Send the chat request as a text message." }));
          settle(ws);
          return;
        }
        const text = data;
        if (isCancel(text)) {
          current?.abort(new WrenError("aborted", "Cancelled by the client."));
          settle(ws);
          return;
        }
        if (busy(ws)) return;
        parsing = true;
        void (async () => {
          // The message holds its bytes under the server's bound on bodies in flight until its
          // answer ends, as a request body does; it waits for room as one would.
          let release: (() => void) | undefined;
          try {
            const held = ctx.bodies.acquire(text.length, () => gone.signal);
            release = typeof held === "function" ? held : await held;
            // Parsed and checked as a request body is: a large message on the body-parsing worker, so
            // it never holds the server's thread; a bad one is a 400-style error naming its first problem.
            const body = await parseJsonText(text, openaiChatRequestSchema);
            parsing = false;
            if (!closed) await generate(ws, body);
          } catch (error) {
            if (!closed) sendError(ws, error);
          } finally {
            parsing = false;
            release?.();
            settle(ws);
          }
        })();
      },
      onClose() {
        closed = true;
        clearTimeout(timer);
        const reason = new WrenError("aborted", "The WebSocket closed.");
        gone.abort(reason);
        current?.abort(reason);
      },
    };
  });
}
