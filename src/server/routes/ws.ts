import { upgradeWebSocket } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { toWrenError, WrenError } from "../../shared/errors.js";
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
}

/**
 * `/v1/ws`: the client sends an OpenAI chat request as one JSON message and receives the same
 * chunks the SSE stream carries (then `[DONE]`); `{"type":"cancel"}` stops the generation in
 * flight. One generation at a time per socket; closing the socket cancels it too. A request with
 * `store: true` is kept in `stored`, the store of the HTTP chat completions route.
 */
export function websocketRoute(ctx: ServerContext, stored: StoredChatCompletions): MiddlewareHandler {
  return upgradeWebSocket((c) => {
    // The upgrade request passed the auth middleware: every message on the socket is that client's.
    const client = ctx.scope(c.req.raw).client;
    let current: AbortController | undefined;
    // A message being parsed and checked (a large one on the body-parsing worker): the socket is busy as if generating.
    let parsing = false;
    let closed = false;
    // Aborted when the socket closes: a message waiting for room under the bound on bodies stops waiting.
    const gone = new AbortController();
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
      try {
        const gen = await startGeneration(ctx, "openai", body.model, openaiChatToRequest(body, undefined), signalScope(abort.signal, client));
        const ids = { id: newId("chatcmpl-"), created: nowSeconds(), model: body.model };
        const chunker = new OpenAIChunker(ids, body.stream_options?.include_usage === true);
        const calls = body.parallel_tool_calls === false ? new FirstToolCallFilter() : undefined;
        const record = stored.recorder(body, ids);
        for await (const part of partsOf(gen)) {
          if (part.type === "error") ws.send(JSON.stringify(errorPartBody(part.error, "openai")));
          if (calls && !calls.keep(part)) continue;
          record?.(part);
          for (const chunk of chunker.push(part)) ws.send(JSON.stringify(chunk));
        }
        ws.send("[DONE]");
      } finally {
        if (current === abort) current = undefined;
      }
    };
    return {
      onMessage(event, ws) {
        const data = (event as { data: unknown }).data;
        if (typeof data !== "string") {
          sendError(ws, new WrenError("bad_request", "A WebSocket message must be JSON text, not a binary frame.", { hint: "Send the chat request as a text message." }));
          return;
        }
        const text = data;
        if (isCancel(text)) {
          current?.abort(new WrenError("aborted", "Cancelled by the client."));
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
          }
        })();
      },
      onClose() {
        closed = true;
        const reason = new WrenError("aborted", "The WebSocket closed.");
        gone.abort(reason);
        current?.abort(reason);
      },
    };
  });
}
