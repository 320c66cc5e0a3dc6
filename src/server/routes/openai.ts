import { Hono } from "hono";
import type { StreamPart } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import {
  openaiChatRequestSchema,
  openaiCompletionRequestSchema,
  openaiEmbeddingRequestSchema,
  openaiStoredListQuerySchema,
  openaiStoredUpdateSchema,
  type OpenAIStoredListQuery,
} from "../../wire/openai/index.js";
import { openaiChatToRequest, openaiCompletionToRequest, refuseTokenIds } from "../codecs/openai-request.js";
import { FirstToolCallFilter, firstToolCallOnly } from "../codecs/one-tool-call.js";
import { OpenAIChunker, openaiChatCompletion, openaiFinishReason, openaiUsage } from "../codecs/openai-response.js";
import { listPage, metadataFilter, type StoredChatCompletion, type StoredChatCompletions } from "../codecs/openai-stored.js";
import { errorPartBody } from "../error-body.js";
import { embed, generate, resolveModel, startGeneration } from "../generation.js";
import { unitVector } from "../unit-vector.js";
import { newId, nowSeconds } from "../ids.js";
import { jsonResponse } from "../json-response.js";
import { contextLengthHeader, parseBody } from "../parse-body.js";
import type { ServerContext } from "../server-context.js";
import { sse, streamResponse } from "../stream-response.js";
import { provenanceField, provenanceHeaders } from "../provenance.js";
import { truncationHeaders } from "../truncation.js";

const CREATED = nowSeconds();

function notStored(id: string): WrenError {
  return new WrenError("not_found", `Chat completion with id '${id.slice(0, 100)}' not found.`, {
    hint: "wren keeps chat completions created with store: true, in memory: it forgets the least recently used past its bound and on restart.",
  });
}

function listQuery(query: Record<string, string>): OpenAIStoredListQuery {
  const parsed = openaiStoredListQuerySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new WrenError("bad_request", `Invalid query: ${String(issue?.path[0] ?? "")} ${issue?.message ?? ""}.`, {
    hint: "limit is 1 to 100, order is asc or desc, after is an id from the list.",
    details: { param: String(issue?.path[0] ?? "") },
  });
}

/** OpenAI-compatible routes under /v1; `stored` holds the completions created with `store: true` (the WebSocket's too). */
export function openaiRoutes(ctx: ServerContext, stored: StoredChatCompletions): Hono {
  const app = new Hono();

  app.get("/models", (c) =>
    c.json({
      object: "list",
      data: ctx.host.list().map((m) => ({ id: m.id, object: "model", created: CREATED, owned_by: "wren" })),
    }),
  );

  // `:name`, as Gemini's GET of the same path names it: two names for one pattern make hono give
  // up its RegExpRouter for the slower TrieRouter, for every route of the app.
  app.get("/models/:name{.+}", (c) => {
    const info = resolveModel(ctx, c.req.param("name"));
    return c.json({ id: info.id, object: "model", created: CREATED, owned_by: "wren" });
  });

  const storedOr404 = (id: string): StoredChatCompletion => {
    const found = stored.get(id);
    if (!found) throw notStored(id);
    return found;
  };

  app.post("/chat/completions", async (c) => {
    const body = await parseBody(c, openaiChatRequestSchema);
    const request = openaiChatToRequest(body, contextLengthHeader(c));
    const ids = { id: newId("chatcmpl-"), created: nowSeconds(), model: body.model };
    // With parallel_tool_calls false the answer makes at most one call, as OpenAI's does.
    const oneCall = body.parallel_tool_calls === false;
    if (!body.stream) {
      const { result, provenance } = await generate(ctx, "openai", body.model, request, ctx.scope(c.req.raw));
      const answer = oneCall ? firstToolCallOnly(result) : result;
      stored.keep(body, answer, ids);
      return jsonResponse(openaiChatCompletion(answer, ids), { ...truncationHeaders(result.usage), ...provenanceHeaders(provenance) });
    }
    const gen = await startGeneration(ctx, "openai", body.model, request, ctx.scope(c.req.raw));
    const chunker = new OpenAIChunker(ids, body.stream_options?.include_usage === true);
    const calls = oneCall ? new FirstToolCallFilter() : undefined;
    // A stored stream keeps what it sent; folded at its finish, it is kept before the client reads [DONE].
    const record = stored.recorder(body, ids);
    return streamResponse(gen, {
      contentType: "text/event-stream",
      frames: (part) => {
        if (part.type === "error") return [sse(errorFrame(part))];
        if (calls && !calls.keep(part)) return [];
        record?.(part);
        return chunker.push(part).map((chunk) => sse(chunk));
      },
      end: () => [sse("[DONE]")],
    }, {});
  });

  app.get("/chat/completions", (c) => {
    const query = listQuery(c.req.query());
    const filter = Object.entries(metadataFilter(new URL(c.req.url).searchParams));
    const all = stored
      .all()
      .filter((s) => (query.model === undefined || s.completion.model === query.model) && filter.every(([k, v]) => s.completion.metadata[k] === v))
      .map((s) => s.completion);
    return c.json(listPage(all, query));
  });

  app.get("/chat/completions/:id", (c) => c.json(storedOr404(c.req.param("id")).completion));

  app.post("/chat/completions/:id", async (c) => {
    const found = storedOr404(c.req.param("id"));
    const body = await parseBody(c, openaiStoredUpdateSchema);
    found.completion.metadata = body.metadata ?? {};
    stored.update(found);
    return c.json(found.completion);
  });

  app.delete("/chat/completions/:id", (c) => {
    const id = c.req.param("id");
    if (!stored.delete(id)) throw notStored(id);
    return c.json({ id, object: "chat.completion.deleted", deleted: true });
  });

  app.get("/chat/completions/:id/messages", (c) => c.json(listPage(storedOr404(c.req.param("id")).messages, listQuery(c.req.query()))));

  app.post("/completions", async (c) => {
    const body = await parseBody(c, openaiCompletionRequestSchema);
    const request = openaiCompletionToRequest(body, contextLengthHeader(c));
    const ids = { id: newId("cmpl-"), created: nowSeconds(), model: body.model };
    const choice = (text: string, finish: string | null) => ({ text, index: 0, logprobs: null, finish_reason: finish });
    if (!body.stream) {
      const { result, provenance } = await generate(ctx, "openai", body.model, request, ctx.scope(c.req.raw));
      const text = result.content.map((p) => (p.type === "text" ? p.text : "")).join("");
      return jsonResponse(
        { id: ids.id, object: "text_completion", created: ids.created, model: ids.model, system_fingerprint: "wren", choices: [choice(text, openaiFinishReason(result.finishReason))], usage: openaiUsage(result.usage), ...provenanceField(provenance) },
        { ...truncationHeaders(result.usage), ...provenanceHeaders(provenance) },
      );
    }
    const includeUsage = body.stream_options?.include_usage === true;
    // Each event written out, not `{ ...base, choices }`: on Node 20 a literal that starts with a spread
    // and adds more after it makes a new hidden class on every call, here every token.
    const line = (choices: unknown[]) => ({ id: ids.id, object: "text_completion", created: ids.created, model: ids.model, system_fingerprint: "wren", choices });
    const gen = await startGeneration(ctx, "openai", body.model, request, ctx.scope(c.req.raw));
    return streamResponse(gen, {
      contentType: "text/event-stream",
      frames: (part) => {
        if (part.type === "error") return [sse(errorFrame(part))];
        if (part.type === "text-delta" && part.delta) return [sse(line([choice(part.delta, null)]))];
        if (part.type !== "finish") return [];
        const provenance = provenanceField(part.provenance);
        const out = [sse(Object.assign(line([choice("", openaiFinishReason(part.finishReason))]), includeUsage ? undefined : provenance))];
        if (includeUsage) out.push(sse(Object.assign(line([]), { usage: openaiUsage(part.usage) }, provenance)));
        return out;
      },
      end: () => [sse("[DONE]")],
    }, {});
  });

  app.post("/embeddings", async (c) => {
    const body = await parseBody(c, openaiEmbeddingRequestSchema);
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    refuseTokenIds(inputs, "input");
    const { embeddings, inputTokens } = await embed(ctx, "openai", body.model, inputs, ctx.signal(c.req.raw));
    const size = embeddings[0]?.length ?? 0;
    // Cut short silently, the vectors would not fit the store sized for what was asked.
    if (body.dimensions && body.dimensions > size) {
      throw new WrenError("bad_request", `dimensions is ${body.dimensions}, but '${body.model.slice(0, 100)}' makes embeddings of ${size} dimensions.`, {
        hint: `Send dimensions of at most ${size}, or leave it out for all ${size}.`,
        details: { param: "dimensions" },
      });
    }
    const data = embeddings.map((vector, index) => {
      // Shortened first, then scaled to length 1, as OpenAI's `dimensions` does.
      const v = unitVector(body.dimensions ? vector.slice(0, body.dimensions) : vector);
      return { object: "embedding", index, embedding: body.encoding_format === "base64" ? toBase64(v) : v };
    });
    return c.json({ object: "list", data, model: body.model, usage: { prompt_tokens: inputTokens, total_tokens: inputTokens } });
  });

  return app;
}

function errorFrame(part: Extract<StreamPart, { type: "error" }>): unknown {
  return errorPartBody(part.error, "openai");
}

function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

