import { createHash } from "node:crypto";
import { Hono, type Context } from "hono";
import type { ChatRequest, GenerateResult } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import {
  ollamaChatRequestSchema,
  ollamaEmbeddingsRequestSchema,
  ollamaEmbedRequestSchema,
  ollamaGenerateRequestSchema,
  ollamaShowRequestSchema,
} from "../../wire/ollama/index.js";
import { keepAliveMs } from "../codecs/ollama-keep-alive.js";
import { ollamaChatToRequest, ollamaGenerateToRequest } from "../codecs/ollama-request.js";
import { OllamaLiner, ollamaDoneReason, ollamaParameters, ollamaStats } from "../codecs/ollama-response.js";
import { embed, generate, resolveModel, startGeneration } from "../generation.js";
import { unitVector } from "../unit-vector.js";
import type { ServedModelInfo } from "../model-host.js";
import { contextLengthHeader, parseBody } from "../parse-body.js";
import type { ServerContext } from "../server-context.js";
import { sse, streamResponse } from "../stream-response.js";
import { provenanceField, provenanceHeaders } from "../provenance.js";
import { truncationHeaders } from "../truncation.js";
import { toolInputObject } from "../../protocol/tool-input.js";
import { ollamaManageRoutes } from "./ollama-manage.js";

/** What `/api/version` reports unless configured (`server.ollamaVersion`): Codex `--oss` wants 0.13.4 or newer. */
export const DEFAULT_OLLAMA_VERSION = "0.13.5";

const ndjson = (value: unknown): string => `${JSON.stringify(value)}\n`;

/** How far off Ollama's expiry of a model kept loaded is: Go's longest duration, some 292 years (`ollama ps` says Forever). */
const OLLAMA_FOREVER_MS = Math.floor(Number(2n ** 63n - 1n) / 1e6);

/** Ollama's "8.0B", "494.03M", "260.00K". */
function parameterSize(count: number | undefined): string {
  if (!count) return "";
  for (const [unit, scale] of [["B", 1e9], ["M", 1e6], ["K", 1e3]] as const) {
    if (count >= scale) return `${(count / scale).toFixed(unit === "B" ? 1 : 2)}${unit}`;
  }
  return String(count);
}

/**
 * A stable identity for a served model, as Ollama's manifest digest is for clients that key on it:
 * what the model is made of, not its name, so a copy or a model created from the same file has its
 * source's digest, as Ollama's (the same blob) does. A local model is its files, adapter, size and
 * file date; a name with no file of its own (a route) is its name.
 */
function digestOf(m: ServedModelInfo): string {
  const made = m.files !== undefined && m.files.length > 0 ? [...m.files, m.adapter ?? ""] : [m.id];
  return createHash("sha256").update(`${made.join("\0")}\0${m.sizeBytes ?? 0}\0${m.modifiedAt ?? ""}`).digest("hex");
}

function details(m: ServedModelInfo): Record<string, unknown> {
  return {
    parent_model: "",
    format: "gguf",
    family: m.family ?? "",
    families: m.family ? [m.family] : null,
    parameter_size: parameterSize(m.parameterCount),
    quantization_level: m.quantization ?? "",
  };
}

function tag(m: ServedModelInfo, since: string): Record<string, unknown> {
  return { name: m.id, model: m.id, modified_at: m.modifiedAt ?? since, size: m.sizeBytes ?? 0, digest: digestOf(m), details: details(m) };
}

/** Model files, as Ollama front-ends list them to pick from; router names only when there are none (proxy-only). */
function tagged(models: ServedModelInfo[]): ServedModelInfo[] {
  const files = models.filter((m) => !m.routed);
  return files.length > 0 ? files : models;
}

function resultParts(result: GenerateResult): { text: string; toolCalls: unknown[] } {
  let text = "";
  const toolCalls: unknown[] = [];
  for (const p of result.content) {
    if (p.type === "text") text += p.text;
    else toolCalls.push({ function: { name: p.toolName, arguments: toolInputObject(p.input) } });
  }
  return { text, toolCalls };
}

/** What Ollama clients read in `/api/show` `capabilities`: tools need a chat template to be called through. */
function capabilities(m: ServedModelInfo): string[] {
  return ["completion", ...(m.chatTemplate === false ? [] : ["tools"]), ...(m.embeddings ? ["embedding"] : [])];
}

/** True when the client asks for SSE (`Accept: text/event-stream`) instead of Ollama's NDJSON. */
function wantsSse(c: Context): boolean {
  return (c.req.header("accept") ?? "").toLowerCase().includes("text/event-stream");
}

/** Ollama API under /api; `version` is what `/api/version` reports. */
export function ollamaRoutes(ctx: ServerContext, version = DEFAULT_OLLAMA_VERSION): Hono {
  const app = new Hono();

  /** Applies a request's `keep_alive` once its model is let go (0: unload now; negative: keep loaded). */
  const keepAlive = async (model: string, ms: number | undefined): Promise<void> => {
    if (ms === undefined) return;
    const info = ctx.host.resolve(model);
    if (info) await ctx.host.keepAlive?.(info.id, ms);
  };

  /**
   * `/api/chat` and `/api/generate` answer alike: one JSON object, or a line per token as it comes
   * (NDJSON, or SSE `data:` events when the client accepts `text/event-stream`).
   */
  const answer = async (c: Context, model: string, request: ChatRequest, stream: boolean | undefined, kind: "chat" | "generate", keep: number | undefined): Promise<Response> => {
    if (stream !== false) {
      const gen = await startGeneration(ctx, "ollama", model, request, ctx.scope(c.req.raw));
      const liner = new OllamaLiner(model, kind);
      const asSse = wantsSse(c);
      const frame = (value: unknown): string => (asSse ? sse(value) : ndjson(value));
      return streamResponse(
        gen,
        { contentType: asSse ? "text/event-stream" : "application/x-ndjson", frames: (part) => liner.push(part).map(frame) },
        {},
        () => void keepAlive(model, keep).catch((error: unknown) => ctx.logger.warn({ err: error, model }, "keep_alive could not unload the model")),
      );
    }
    const started = performance.now();
    const { result, provenance } = await generate(ctx, "ollama", model, request, ctx.scope(c.req.raw));
    await keepAlive(model, keep);
    const { text, toolCalls } = resultParts(result);
    const content =
      kind === "chat"
        ? { message: { role: "assistant", content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) } }
        : { response: text };
    return c.json(
      {
        model,
        created_at: new Date().toISOString(),
        ...content,
        done: true,
        done_reason: ollamaDoneReason(result.finishReason),
        ...ollamaStats(result.usage, result.timings, started),
        ...provenanceField(provenance),
      },
      200,
      { ...truncationHeaders(result.usage), ...provenanceHeaders(provenance) },
    );
  };

  app.route("/", ollamaManageRoutes(ctx));
  app.get("/version", (c) => c.json({ version }));
  const since = new Date().toISOString();
  app.get("/tags", (c) => c.json({ models: tagged(ctx.host.list()).map((m) => tag(m, since)) }));
  app.get("/ps", (c) =>
    c.json({
      models: ctx.host
        .list()
        .filter((m) => m.loaded)
        .map((m) => ({ ...tag(m, since), expires_at: m.expiresAt ?? new Date(Date.now() + (m.keptLoaded ? OLLAMA_FOREVER_MS : 300_000)).toISOString(), size_vram: 0, context_length: m.contextLength ?? 0 })),
    }),
  );

  app.post("/show", async (c) => {
    const body = await parseBody(c, ollamaShowRequestSchema);
    const name = body.model ?? body.name;
    if (!name) throw new WrenError("bad_request", "model is required.", { hint: "Send {\"model\": \"NAME\"}." });
    const m = resolveModel(ctx, name);
    return c.json({
      modelfile: "",
      parameters: ollamaParameters({ num_ctx: m.contextLength }),
      // The GGUF's own chat template; a model without one continues the prompt as it is: Ollama's template for that.
      template: m.chatTemplate === false ? "{{ .Prompt }}" : (m.template ?? ""),
      details: details(m),
      model_info: {
        "general.architecture": m.family ?? "",
        ...(m.parameterCount ? { "general.parameter_count": m.parameterCount } : {}),
        ...(m.contextLength ? { [`${m.family ?? "model"}.context_length`]: m.contextLength } : {}),
      },
      capabilities: capabilities(m),
      modified_at: m.modifiedAt ?? new Date(0).toISOString(),
    });
  });

  /**
   * Ollama's way to load a model without generating (a generate with no prompt, a chat with no
   * messages), or with keep_alive 0 to unload it: the answer is empty, `done_reason` says which.
   */
  const loadOnly = async (c: Context, model: string, keep: number | undefined, empty: Record<string, unknown>): Promise<Response> => {
    const info = resolveModel(ctx, model);
    const done = (reason: "load" | "unload") => c.json({ model, created_at: new Date().toISOString(), ...empty, done: true, done_reason: reason });
    if (keep === 0) {
      await keepAlive(info.id, 0);
      return done("unload");
    }
    const lease = await ctx.host.acquire(info.id, ctx.signal(c.req.raw));
    lease.release();
    await keepAlive(info.id, keep);
    return done("load");
  };

  app.post("/chat", async (c) => {
    const body = await parseBody(c, ollamaChatRequestSchema);
    const keep = keepAliveMs(body.keep_alive);
    if (!body.messages?.length) return loadOnly(c, body.model, keep, { message: { role: "assistant", content: "" } });
    // An unknown model is a 404 before what the request asks of it is checked (tools, think), as Ollama answers.
    const info = resolveModel(ctx, body.model);
    // Tools are called through a chat template: a model without one has no "tools" capability in
    // /api/show, and Ollama refuses tools for such a model in these words.
    if (body.tools?.length && info.chatTemplate === false) {
      throw new WrenError("unsupported", `${JSON.stringify(body.model)} does not support tools`, {
        hint: "This model has no chat template to call tools through; send the request without tools, or use a chat model.",
        details: { param: "tools" },
      });
    }
    const request = ollamaChatToRequest(body, contextLengthHeader(c));
    return answer(c, body.model, request, body.stream, "chat", keep);
  });

  app.post("/generate", async (c) => {
    const body = await parseBody(c, ollamaGenerateRequestSchema);
    const keep = keepAliveMs(body.keep_alive);
    if (!body.prompt && !body.raw) return loadOnly(c, body.model, keep, { response: "" });
    // A model without a chat template has Ollama's template for that, `{{ .Prompt }}` (as /api/show
    // says): its prompt is continued as it is, not wrapped in a generic chat format.
    // Resolved first: an unknown model is a 404 before what the request asks of it is checked (think).
    const info = resolveModel(ctx, body.model);
    const raw = body.raw === true || info.chatTemplate === false;
    const request = ollamaGenerateToRequest(raw === body.raw ? body : { ...body, raw }, contextLengthHeader(c));
    return answer(c, body.model, request, body.stream, "generate", keep);
  });

  app.post("/embed", async (c) => {
    const body = await parseBody(c, ollamaEmbedRequestSchema);
    const keep = keepAliveMs(body.keep_alive);
    const started = performance.now();
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    // Ollama cuts an input too long for the context unless told truncate: false.
    const { embeddings, inputTokens } = await embed(ctx, "ollama", body.model, inputs, ctx.signal(c.req.raw), body.truncate !== false);
    await keepAlive(body.model, keep);
    return c.json({
      model: body.model,
      // Unit length, as Ollama's /api/embed answers (its older /api/embeddings below does not scale).
      embeddings: embeddings.map((v) => unitVector(body.dimensions ? v.slice(0, body.dimensions) : v)),
      total_duration: Math.round((performance.now() - started) * 1e6),
      load_duration: 0,
      prompt_eval_count: inputTokens,
    });
  });

  app.post("/embeddings", async (c) => {
    const body = await parseBody(c, ollamaEmbeddingsRequestSchema);
    const keep = keepAliveMs(body.keep_alive);
    const { embeddings } = await embed(ctx, "ollama", body.model, [body.prompt], ctx.signal(c.req.raw));
    await keepAlive(body.model, keep);
    return c.json({ embedding: embeddings[0] ?? [] });
  });

  return app;
}
