import { Hono, type Context, type Next } from "hono";
import { toWrenError } from "../../shared/errors.js";
import { anthropicCountTokensRequestSchema, anthropicMessagesRequestSchema } from "../../wire/anthropic/index.js";
import { anthropicMessagesToRequest, anthropicToRequest, type ConvertedAnthropicRequest } from "../codecs/anthropic-request.js";
import { anthropicModel, anthropicModelPage } from "../codecs/anthropic-models.js";
import { AnthropicEventer, anthropicMessage } from "../codecs/anthropic-response.js";
import { FirstToolCallFilter, firstToolCallOnly } from "../codecs/one-tool-call.js";
import { errorResponse } from "../error-body.js";
import type { ChatRequest } from "../../protocol/index.js";
import { countTokens, generate, resolveModel, startGeneration } from "../generation.js";
import { newId } from "../ids.js";
import { jsonResponse } from "../json-response.js";
import { contextLengthHeader, parseBody } from "../parse-body.js";
import type { ServerContext } from "../server-context.js";
import { sse, streamResponse } from "../stream-response.js";
import { provenanceHeaders } from "../provenance.js";
import { truncationHeaders } from "../truncation.js";

/**
 * Anthropic Messages API: /v1/messages and /v1/messages/count_tokens, with or without Claude Code's
 * `?beta=true` and `anthropic-beta` header (beta features are fields like any other: read when wren
 * has them, else left out).
 */
export function anthropicRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  /**
   * What a request carried that wren does not act on: a debug line, never a refusal; documents the
   * model cannot read, a warning for the message request that reaches the model, and a debug line
   * for its count_tokens (clients such as Claude Code count each turn first: one warning a turn).
   */
  const logIgnored = (c: Context, converted: ConvertedAnthropicRequest, reachesModel: boolean): ChatRequest => {
    const beta = c.req.header("anthropic-beta");
    const ignored = beta ? [...converted.ignored, `anthropic-beta ${beta}`] : converted.ignored;
    if (ignored.length > 0) ctx.logger.debug({ path: c.req.path, ignored }, "Anthropic request: parts a local model does not use were left out");
    if (converted.unread.length > 0) {
      ctx.logger[reachesModel ? "warn" : "debug"]({ path: c.req.path, documents: converted.unread }, "Anthropic request: documents the model cannot read (PDFs, URLs, files) were passed as a note saying so");
    }
    return converted.request;
  };

  // `GET /v1/models` is OpenAI's too: an Anthropic client (which always sends `anthropic-version`)
  // gets Anthropic's shape and errors, everyone else OpenAI's.
  const since = new Date().toISOString();
  const get = (handler: (c: Context) => Response) => async (c: Context, next: Next) => {
    if (c.req.header("anthropic-version") === undefined) return next();
    try {
      return handler(c);
    } catch (error) {
      const { status, body, headers } = errorResponse(toWrenError(error), "anthropic");
      return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
    }
  };
  app.get(
    "/models",
    get((c) => c.json(anthropicModelPage(ctx.host.list(), { limit: c.req.query("limit"), after_id: c.req.query("after_id"), before_id: c.req.query("before_id") }, since))),
  );
  // `:name`, as the other dialects' GETs of this path name it (one name keeps hono's RegExpRouter).
  app.get(
    "/models/:name{.+}",
    get((c) => c.json(anthropicModel(resolveModel(ctx, c.req.param("name") ?? ""), since))),
  );

  app.post("/messages/count_tokens", async (c) => {
    const body = await parseBody(c, anthropicCountTokensRequestSchema);
    const request = logIgnored(c, anthropicToRequest(body, contextLengthHeader(c)), false);
    const n = await countTokens(ctx, body.model, request, ctx.signal(c.req.raw));
    return c.json({ input_tokens: n });
  });

  app.post("/messages", async (c) => {
    const body = await parseBody(c, anthropicMessagesRequestSchema);
    const request = logIgnored(c, anthropicMessagesToRequest(body, contextLengthHeader(c)), true);
    const id = newId("msg_");
    // disable_parallel_tool_use: at most one tool_use block, as Anthropic's API answers.
    const oneCall = body.tool_choice != null && "disable_parallel_tool_use" in body.tool_choice && body.tool_choice.disable_parallel_tool_use === true;
    if (!body.stream) {
      const { result, provenance } = await generate(ctx, "anthropic", body.model, request, ctx.scope(c.req.raw));
      return jsonResponse(anthropicMessage(oneCall ? firstToolCallOnly(result) : result, id, body.model), { ...truncationHeaders(result.usage), ...provenanceHeaders(provenance) });
    }
    // message_start's usage is the model's own count of the prompt, made before its first token
    // (see AnthropicEventer): the prompt is not tokenized a second time for it.
    const gen = await startGeneration(ctx, "anthropic", body.model, request, ctx.scope(c.req.raw));
    const eventer = new AnthropicEventer(id, body.model);
    const calls = oneCall ? new FirstToolCallFilter() : undefined;
    return streamResponse(
      gen,
      { contentType: "text/event-stream", frames: (part) => (calls && !calls.keep(part) ? [] : eventer.push(part).map((e) => sse(e.data, e.event))) },
      {},
    );
  });

  return app;
}
