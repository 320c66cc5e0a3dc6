import { upgradeWebSocket } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { toWrenError, WrenError } from "../../shared/errors.js";
import { openaiChatRequestSchema } from "../../wire/openai/index.js";
import { FIRST_ISSUE_ONLY } from "../../wire/first-issue.js";
import { openaiChatToRequest } from "../codecs/openai-request.js";
import { OpenAIChunker } from "../codecs/openai-response.js";
import { errorPartBody, errorResponse } from "../error-body.js";
import { partsOf, startGeneration } from "../generation.js";
import { newId, nowSeconds } from "../ids.js";
import { signalScope } from "../request-scope.js";
import type { ServerContext } from "../server-context.js";

const cancelSchema = z.object({ type: z.literal("cancel") });

interface Socket {
  send(data: string): void;
}

/**
 * `/v1/ws`: the client sends an OpenAI chat request as one JSON message and receives the same
 * chunks the SSE stream carries (then `[DONE]`); `{"type":"cancel"}` stops the generation in
 * flight. One generation at a time per socket; closing the socket cancels it too.
 */
export function websocketRoute(ctx: ServerContext): MiddlewareHandler {
  return upgradeWebSocket((c) => {
    // The upgrade request passed the auth middleware: every message on the socket is that client's.
    const client = ctx.scope(c.req.raw).client;
    let current: AbortController | undefined;
    const sendError = (ws: Socket, error: unknown): void => {
      ws.send(JSON.stringify(errorResponse(toWrenError(error), "openai").body));
    };
    const run = async (ws: Socket, raw: unknown): Promise<void> => {
      const parsed = openaiChatRequestSchema.safeParse(raw, FIRST_ISSUE_ONLY);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new WrenError("bad_request", `Invalid chat request: ${issue ? `${issue.path.join(".")} ${issue.message}` : "bad shape"}.`, {
          hint: 'Send an OpenAI chat completion request, or {"type":"cancel"}.',
        });
      }
      const body = parsed.data;
      const abort = new AbortController();
      current = abort;
      try {
        const gen = await startGeneration(ctx, "openai", body.model, openaiChatToRequest(body, undefined), signalScope(abort.signal, client));
        const chunker = new OpenAIChunker({ id: newId("chatcmpl-"), created: nowSeconds(), model: body.model }, body.stream_options?.include_usage === true);
        for await (const part of partsOf(gen)) {
          if (part.type === "error") ws.send(JSON.stringify(errorPartBody(part.error, "openai")));
          for (const chunk of chunker.push(part)) ws.send(JSON.stringify(chunk));
        }
        ws.send("[DONE]");
      } finally {
        if (current === abort) current = undefined;
      }
    };
    return {
      onMessage(event, ws) {
        let message: unknown;
        const data = (event as { data: unknown }).data;
        try {
          message = JSON.parse(typeof data === "string" ? data : "") as unknown;
        } catch {
          sendError(ws, new WrenError("bad_request", "A WebSocket message must be JSON text.", { hint: "Send a chat request object." }));
          return;
        }
        if (cancelSchema.safeParse(message).success) {
          current?.abort(new WrenError("aborted", "Cancelled by the client."));
          return;
        }
        if (current) {
          sendError(ws, new WrenError("bad_request", "A generation is already running on this socket.", { hint: 'Wait for [DONE] or send {"type":"cancel"} first.' }));
          return;
        }
        run(ws, message).catch((error: unknown) => sendError(ws, error));
      },
      onClose() {
        current?.abort(new WrenError("aborted", "The WebSocket closed."));
      },
    };
  });
}
