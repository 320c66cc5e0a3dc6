import type { Context, Next } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { WrenError, toWrenError } from "../../shared/errors.js";
import {
  geminiBatchEmbedContentsRequestSchema,
  geminiCountTokensRequestSchema,
  geminiEmbedContentRequestSchema,
  geminiGenerateContentRequestSchema,
  unknownFields,
  type GeminiContent,
} from "../../wire/gemini/index.js";
import { geminiToRequest } from "../codecs/gemini-request.js";
import { geminiModel, geminiModelPage } from "../codecs/gemini-models.js";
import { GeminiChunker, geminiResponse, type GeminiIds } from "../codecs/gemini-response.js";
import { errorResponse } from "../error-body.js";
import { countTokens, embed, generate, resolveModel, startGeneration } from "../generation.js";
import { unitVector } from "../unit-vector.js";
import { newId } from "../ids.js";
import { contextLengthHeader, parseBody } from "../parse-body.js";
import { provenanceHeaders } from "../provenance.js";
import type { ServerContext } from "../server-context.js";
import { sse, streamResponse, type Framer } from "../stream-response.js";

/** `models/chat` → `chat`: the SDK and Gemini CLI name models with the prefix in bodies. */
function stripModels(name: string): string {
  return name.startsWith("models/") ? name.slice("models/".length) : name;
}

/**
 * Reads a Gemini body. Fields wren does not read are ignored, as Google's clients send fields newer
 * than any schema, and named in the debug log.
 */
async function readBody<S extends z.ZodType>(c: Context, ctx: ServerContext, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  const body = await parseBody(
    c,
    z.preprocess((value) => {
      raw = value;
      return value;
    }, schema),
  );
  if (ctx.logger.isLevelEnabled("debug")) {
    const fields = unknownFields(schema, raw);
    if (fields.length > 0) ctx.logger.debug({ path: c.req.path, fields }, "Gemini request: fields wren does not read were ignored");
  }
  return body;
}

function logIgnored(c: Context, ctx: ServerContext, ignored: string[]): void {
  if (ignored.length > 0) ctx.logger.debug({ path: c.req.path, tools: ignored }, "Gemini request: built-in tools a local model cannot run were left out");
}

/** JSON-array streaming (`streamGenerateContent` without `alt=sse`): `[chunk,\r\nchunk…]`. */
function jsonArrayFramer(chunker: GeminiChunker): Framer {
  let first = true;
  return {
    contentType: "application/json; charset=UTF-8",
    frames: (part) =>
      chunker.push(part).map((chunk) => {
        const text = `${first ? "[" : ",\r\n"}${JSON.stringify(chunk)}`;
        first = false;
        return text;
      }),
    end: () => [first ? "[]" : "]"],
  };
}

function streamMode(c: Context): "sse" | "json" {
  const alt = c.req.query("alt");
  if (alt === undefined || alt === "json") return "json";
  if (alt === "sse") return "sse";
  throw new WrenError("bad_request", `alt='${alt}' is not supported.`, { hint: "Use alt=sse for server-sent events, or leave alt out for a JSON array.", details: { param: "alt" } });
}

async function generateContent(c: Context, ctx: ServerContext, model: string, stream: boolean): Promise<Response> {
  const mode = stream ? streamMode(c) : undefined;
  const body = await readBody(c, ctx, geminiGenerateContentRequestSchema);
  const { request, ignored, enumAnswer } = geminiToRequest(body, contextLengthHeader(c));
  logIgnored(c, ctx, ignored);
  const ids: GeminiIds = { responseId: newId(""), modelVersion: model };
  if (mode === undefined) {
    const { result, provenance } = await generate(ctx, "gemini", model, request, ctx.scope(c.req.raw));
    return c.json(geminiResponse(result, ids, { enumAnswer }), 200, provenanceHeaders(provenance));
  }
  const gen = await startGeneration(ctx, "gemini", model, request, ctx.scope(c.req.raw));
  const chunker = new GeminiChunker(ids, { enumAnswer });
  const framer: Framer = mode === "sse" ? { contentType: "text/event-stream", frames: (part) => chunker.push(part).map((chunk) => sse(chunk)) } : jsonArrayFramer(chunker);
  return streamResponse(gen, framer, {});
}

async function countContentTokens(c: Context, ctx: ServerContext, model: string): Promise<Response> {
  const body = await readBody(c, ctx, geminiCountTokensRequestSchema);
  const { request } = geminiToRequest(body.generateContentRequest ?? { contents: body.contents ?? [] }, contextLengthHeader(c), true);
  const n = await countTokens(ctx, model, request, ctx.signal(c.req.raw));
  return c.json({ totalTokens: n, promptTokensDetails: [{ modality: "TEXT", tokenCount: n }] });
}

/** The text of a content to embed; anything but text is refused, and so is nothing at all. */
function embedText(content: GeminiContent, param: string): string {
  const text = (content.parts ?? [])
    .map((p, j) => {
      if (p.text !== undefined) return p.text;
      throw new WrenError("unsupported", `${param}.parts[${j}] is not text; wren embeds text only.`, { hint: "Send text parts to embed.", details: { param: `${param}.parts[${j}]` } });
    })
    .join("\n");
  if (text === "") throw new WrenError("bad_request", `${param} has no text to embed.`, { hint: "Send at least one non-empty text part.", details: { param: `${param}.parts` } });
  return text;
}

async function embedContents(c: Context, ctx: ServerContext, model: string, batch: boolean): Promise<Response> {
  const requests = batch
    ? (await readBody(c, ctx, geminiBatchEmbedContentsRequestSchema)).requests
    : [await readBody(c, ctx, geminiEmbedContentRequestSchema)];
  requests.forEach((r, i) => {
    if (r.model !== undefined && stripModels(r.model) !== model) {
      throw new WrenError("bad_request", `requests[${i}].model is '${r.model}', but the path names '${model}'.`, { hint: "Embed with the model the path names.", details: { param: `requests[${i}].model` } });
    }
  });
  const texts = requests.map((r, i) => embedText(r.content, batch ? `requests[${i}].content` : "content"));
  const { embeddings } = await embed(ctx, "gemini", model, texts, ctx.signal(c.req.raw));
  // As Gemini's: the whole embedding has unit length, one cut to outputDimensionality is not scaled again.
  const values = embeddings.map((v, i) => {
    const dims = requests[i]?.outputDimensionality;
    const unit = unitVector(v);
    return { values: dims ? unit.slice(0, dims) : unit };
  });
  return c.json(batch ? { embeddings: values } : { embedding: values[0] });
}

/** Options of {@link geminiRoutes}. */
export interface GeminiRoutesOptions {
  /**
   * Mounted at `/v1`, where OpenAI's routes also answer `GET /models`: the GETs then answer Gemini
   * clients only and pass every other request on. Default false (`/v1beta`, Gemini's alone).
   */
  besideOpenAI?: boolean;
}

const ACTIONS = ["generateContent", "streamGenerateContent", "countTokens", "embedContent", "batchEmbedContents"] as const;
type Action = (typeof ACTIONS)[number];

/** `chat:generateContent` → model and action; the model may itself hold colons (`openai:gpt-4.1`). */
function splitAction(name: string, method: string, path: string): { model: string; action: Action } {
  const at = name.lastIndexOf(":");
  const action = name.slice(at + 1);
  if (at <= 0 || !(ACTIONS as readonly string[]).includes(action)) {
    throw new WrenError("not_found", `There is no route ${method} ${path}.`, { hint: `Gemini endpoints are models/{model}:{${ACTIONS.join(" | ")}}.` });
  }
  return { model: stripModels(name.slice(0, at)), action: action as Action };
}

/**
 * The Gemini API (generativelanguage.googleapis.com's REST shapes): `models/{model}:generateContent`,
 * `:streamGenerateContent` (SSE with `alt=sse`, else a JSON array), `:countTokens`, `:embedContent`,
 * `:batchEmbedContents`, and `GET models` / `models/{model}`. Mounted at `/v1beta`, and at `/v1`
 * beside the OpenAI routes: there its `GET /models` answers only requests that come from a Gemini
 * client (an `x-goog-api-key` or `x-goog-api-client` header, or a `key` query parameter) and passes
 * the rest on to OpenAI's.
 */
export function geminiRoutes(ctx: ServerContext, options: GeminiRoutesOptions = {}): Hono {
  const app = new Hono();
  const shared = options.besideOpenAI === true;
  const fromGeminiClient = (c: Context): boolean =>
    c.req.header("x-goog-api-key") !== undefined || c.req.header("x-goog-api-client") !== undefined || c.req.query("key") !== undefined;
  /** Beside OpenAI's routes, errors of these GETs are rendered here: the path alone reads as OpenAI's. */
  const get = (handler: (c: Context) => Response | Promise<Response>) => async (c: Context, next: Next) => {
    if (!shared) return handler(c);
    if (!fromGeminiClient(c)) return next();
    try {
      return await handler(c);
    } catch (error) {
      const { status, body, headers } = errorResponse(toWrenError(error), "gemini");
      return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
    }
  };

  app.get(
    "/models",
    get((c) => c.json(geminiModelPage(ctx.host.list(), c.req.query("pageSize"), c.req.query("pageToken")))),
  );
  app.get(
    "/models/:name{.+}",
    get((c) => c.json(geminiModel(resolveModel(ctx, stripModels(c.req.param("name") ?? ""))))),
  );
  app.post("/models/:name{.+}", async (c) => {
    const { model, action } = splitAction(c.req.param("name"), c.req.method, c.req.path);
    switch (action) {
      case "generateContent":
        return generateContent(c, ctx, model, false);
      case "streamGenerateContent":
        return generateContent(c, ctx, model, true);
      case "countTokens":
        return countContentTokens(c, ctx, model);
      case "embedContent":
        return embedContents(c, ctx, model, false);
      case "batchEmbedContents":
        return embedContents(c, ctx, model, true);
    }
  });
  return app;
}
