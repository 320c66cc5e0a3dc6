import { Hono, type Context } from "hono";
import type { Message, StreamPart } from "../../protocol/index.js";
import { collectStream } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { ResponsesObject } from "../../wire/openai/responses-object.js";
import { responsesCreateRequestSchema, responsesInputItemSchema, responsesInputItemsQuerySchema, type ResponsesCreateRequest } from "../../wire/openai/responses-request.js";
import { ResponsesEventer } from "../codecs/responses-events.js";
import { printableId, responsesToRequest, type PreparedResponsesRequest } from "../codecs/responses-request.js";
import { newResponseShell, outputAsMessage, responseFromResult, responseObject } from "../codecs/responses-response.js";
import { countTokens, partsOf } from "../generation.js";
import { jsonResponse } from "../json-response.js";
import { contextLengthHeader, parseBody } from "../parse-body.js";
import { provenanceHeaders } from "../provenance.js";
import { ResponsesStore, type ResponsesStoreOptions } from "../responses-store.js";
import type { ServerContext } from "../server-context.js";
import { sse, streamResponse } from "../stream-response.js";
import { truncationHeaders } from "../truncation.js";
import { startTruncating } from "../responses-truncation.js";

function notFound(id: string, param: string | null = null): WrenError {
  return new WrenError("not_found", `Response with id '${printableId(id)}' not found.`, {
    hint: "wren keeps responses in memory, only those created with store: true, and forgets the least recently used past its bound and on restart.",
    details: param ? { param } : {},
  });
}

/**
 * The OpenAI Responses API under /v1: `POST /responses` (streamed and not), `GET`, `DELETE` and
 * `POST …/cancel` of `/responses/{id}`, `GET /responses/{id}/input_items`, and
 * `POST /responses/input_tokens`. Generation goes through the same core as every dialect (router
 * names, provenance, admission, metrics); stored responses live in a {@link ResponsesStore} owned
 * by this app.
 */
export function responsesRoutes(ctx: ServerContext, storeOptions: ResponsesStoreOptions = {}): Hono {
  const app = new Hono();
  const store = new ResponsesStore(storeOptions);

  const keep = (response: ResponsesObject, prepared: PreparedResponsesRequest): void => {
    if (response.store === false) return;
    const turn = outputAsMessage(response.output);
    const history: Message[] = turn && response.status !== "failed" ? [...prepared.history, turn] : prepared.history;
    if (!store.put({ response, inputItems: prepared.inputItems, history })) {
      ctx.logger.debug({ id: response.id }, "response too large to keep; previous_response_id cannot name it");
    }
  };

  /** The body read and turned into the canonical request, the previous response's conversation first. */
  const prepare = async (c: Context): Promise<{ body: ResponsesCreateRequest; prepared: PreparedResponsesRequest }> => {
    const body = await parseBody(c, responsesCreateRequestSchema);
    const unknown = Object.keys(body).filter((key) => !(key in responsesCreateRequestSchema.shape));
    if (unknown.length > 0) ctx.logger.debug({ fields: unknown }, "Responses API: ignored request fields wren does not know");
    let previousHistory: Message[] | undefined;
    if (body.previous_response_id) {
      const previous = store.get(body.previous_response_id);
      if (!previous) throw notFound(body.previous_response_id, "previous_response_id");
      if (previous.response.status === "in_progress") {
        throw new WrenError("bad_request", `Previous response with id '${printableId(body.previous_response_id)}' is still in progress.`, {
          hint: "Wait for it to complete (its stream ends with response.completed), then continue from it.",
          details: { param: "previous_response_id" },
        });
      }
      previousHistory = previous.history;
    }
    const contextLength = contextLengthHeader(c);
    const prepared = responsesToRequest(body, {
      ...(previousHistory ? { previousHistory } : {}),
      ...(contextLength === undefined ? {} : { contextLength }),
      findItem: (id) => {
        const found = responsesInputItemSchema.safeParse(store.findItem(id));
        return found.success ? found.data : undefined;
      },
      onIgnored: (what) => ctx.logger.debug({ what }, "Responses API: skipped what a local model cannot use"),
    });
    return { body, prepared };
  };

  // The input a request would have, counted with the model's tokenizer (client.responses.inputTokens.count).
  // Routed as `/responses/:id`, not as its own fixed path: beside `/responses/:id/cancel` that makes
  // hono give up its RegExpRouter for the slower TrieRouter, for every route of the app.
  app.post("/responses/:id", async (c, next) => {
    if (c.req.param("id") !== "input_tokens") return next();
    const { body, prepared } = await prepare(c);
    const n = await countTokens(ctx, body.model, prepared.request, ctx.signal(c.req.raw));
    return c.json({ object: "response.input_tokens", input_tokens: n });
  });

  app.post("/responses", async (c) => {
    const { body, prepared } = await prepare(c);
    const shell = newResponseShell(body);
    const scope = ctx.scope(c.req.raw);
    const gen = await startTruncating(ctx, body.model, prepared.request, scope, body.truncation === "auto");
    if (!body.stream) {
      const result = await collectStream(partsOf(gen));
      const provenance = result.provenance ?? gen.provenance;
      const response = responseFromResult(shell, { ...result, provenance });
      keep(response, prepared);
      return jsonResponse(response, { ...truncationHeaders(result.usage), ...provenanceHeaders(provenance) });
    }
    const eventer = new ResponsesEventer(shell);
    // While it streams, GET answers with the response in progress, as OpenAI's does.
    keep(responseObject(shell, { status: "in_progress", output: [] }), prepared);
    const frames = (part: StreamPart): string[] => {
      const events = eventer.push(part);
      // Kept before its last event is sent: a client that continues from it at once finds it finished.
      if (eventer.final && (part.type === "finish" || part.type === "error")) keep(eventer.final, prepared);
      return events.map((e) => sse(e, e.type));
    };
    return streamResponse(gen, { contentType: "text/event-stream", frames }, {}, () => {
      // A stream its client left has no final response to keep.
      if (!eventer.final) store.delete(shell.id);
    });
  });

  app.get("/responses/:id", (c) => {
    const id = c.req.param("id");
    if (c.req.query("stream") === "true") {
      throw new WrenError("unsupported", "Streaming a stored response again (stream=true) is not supported by wren.", {
        hint: "Retrieve it without stream; responses are streamed as they are created.",
        details: { param: "stream" },
      });
    }
    const stored = store.get(id);
    if (!stored) throw notFound(id);
    return c.json(stored.response);
  });

  app.delete("/responses/:id", (c) => {
    const id = c.req.param("id");
    if (!store.delete(id)) throw notFound(id);
    return c.json({ id, object: "response", deleted: true });
  });

  app.post("/responses/:id/cancel", (c) => {
    const id = c.req.param("id");
    if (!store.get(id)) throw notFound(id);
    throw new WrenError("bad_request", "Only background responses can be cancelled, and wren runs none: this response has already finished.", {
      hint: "To stop a response while it is generated, close its stream (abort the request).",
    });
  });

  app.get("/responses/:id/input_items", (c) => {
    const stored = store.get(c.req.param("id"));
    if (!stored) throw notFound(c.req.param("id"));
    const query = responsesInputItemsQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      throw new WrenError("bad_request", `Invalid query: ${query.error.issues[0]?.message ?? "unknown"}.`, {
        hint: "limit is 1 to 100, order is asc or desc, after and before are item ids.",
        details: { param: String(query.error.issues[0]?.path[0] ?? "") },
      });
    }
    const { limit = 20, order = "desc", after, before } = query.data;
    let items = order === "asc" ? [...stored.inputItems] : [...stored.inputItems].reverse();
    if (after !== undefined) items = items.slice(items.findIndex((i) => i.id === after) + 1);
    if (before !== undefined) {
      const at = items.findIndex((i) => i.id === before);
      if (at >= 0) items = items.slice(0, at);
    }
    const data = items.slice(0, limit);
    return c.json({ object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: items.length > data.length });
  });

  return app;
}
