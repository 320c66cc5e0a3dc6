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
import { ollamaChatToRequest, ollamaGenerateToRequest } from "../codecs/ollama-request.js";
import { OllamaLiner, ollamaDoneReason, ollamaStats } from "../codecs/ollama-response.js";
import { embed, generate, resolveModel, startGeneration } from "../generation.js";
import type { ServedModelInfo } from "../model-host.js";
import { contextLengthHeader, parseBody } from "../parse-body.js";
import type { ServerContext } from "../server-context.js";
import { streamResponse } from "../stream-response.js";
import { provenanceField, provenanceHeaders } from "../provenance.js";
import { truncationHeaders } from "../truncation.js";

const ndjson = (value: unknown): string => `${JSON.stringify(value)}\n`;

function details(m: ServedModelInfo): Record<string, unknown> {
  return {
    parent_model: "",
    format: "gguf",
    family: m.family ?? "",
    families: m.family ? [m.family] : null,
    parameter_size: "",
    quantization_level: m.quantization ?? "",
  };
}

function tag(m: ServedModelInfo, since: string): Record<string, unknown> {
  return { name: m.id, model: m.id, modified_at: m.modifiedAt ?? since, size: m.sizeBytes ?? 0, digest: "", details: details(m) };
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
    else toolCalls.push({ function: { name: p.toolName, arguments: p.input } });
  }
  return { text, toolCalls };
}

/** Ollama API under /api. */
export function ollamaRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  /** `/api/chat` and `/api/generate` answer alike: one JSON object, or NDJSON lines as tokens come. */
  const answer = async (c: Context, model: string, request: ChatRequest, stream: boolean | undefined, kind: "chat" | "generate"): Promise<Response> => {
    if (stream !== false) {
      const gen = await startGeneration(ctx, "ollama", model, request, ctx.scope(c.req.raw));
      const liner = new OllamaLiner(model, kind);
      return streamResponse(gen, { contentType: "application/x-ndjson", frames: (part) => liner.push(part).map(ndjson) }, {});
    }
    const started = performance.now();
    const { result, provenance } = await generate(ctx, "ollama", model, request, ctx.scope(c.req.raw));
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

  app.get("/version", (c) => c.json({ version: ctx.version }));
  const since = new Date().toISOString();
  app.get("/tags", (c) => c.json({ models: tagged(ctx.host.list()).map((m) => tag(m, since)) }));
  app.get("/ps", (c) =>
    c.json({
      models: ctx.host
        .list()
        .filter((m) => m.loaded)
        .map((m) => ({ ...tag(m, since), expires_at: m.expiresAt ?? new Date(Date.now() + 300_000).toISOString(), size_vram: 0, context_length: m.contextLength ?? 0 })),
    }),
  );

  app.post("/show", async (c) => {
    const body = await parseBody(c, ollamaShowRequestSchema);
    const name = body.model ?? body.name;
    if (!name) throw new WrenError("bad_request", "model is required.", { hint: "Send {\"model\": \"NAME\"}." });
    const m = resolveModel(ctx, name);
    return c.json({
      modelfile: "",
      parameters: "",
      template: "",
      details: details(m),
      model_info: { "general.architecture": m.family ?? "", ...(m.contextLength ? { [`${m.family ?? "model"}.context_length`]: m.contextLength } : {}) },
      capabilities: ["completion", "tools", ...(m.embeddings ? ["embedding"] : [])],
      modified_at: m.modifiedAt ?? new Date(0).toISOString(),
    });
  });

  app.post("/chat", async (c) => {
    const body = await parseBody(c, ollamaChatRequestSchema);
    const request = ollamaChatToRequest(body, contextLengthHeader(c));
    return answer(c, body.model, request, body.stream, "chat");
  });

  app.post("/generate", async (c) => {
    const body = await parseBody(c, ollamaGenerateRequestSchema);
    if (!body.prompt && !body.raw) {
      // Ollama's way to load a model without generating.
      const info = resolveModel(ctx, body.model);
      const lease = await ctx.host.acquire(info.id, ctx.signal(c.req.raw));
      lease.release();
      return c.json({ model: body.model, created_at: new Date().toISOString(), response: "", done: true, done_reason: "load" });
    }
    const request = ollamaGenerateToRequest(body, contextLengthHeader(c));
    return answer(c, body.model, request, body.stream, "generate");
  });

  app.post("/embed", async (c) => {
    const body = await parseBody(c, ollamaEmbedRequestSchema);
    const started = performance.now();
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    const { embeddings, inputTokens } = await embed(ctx, "ollama", body.model, inputs, ctx.signal(c.req.raw));
    return c.json({
      model: body.model,
      embeddings: body.dimensions ? embeddings.map((v) => v.slice(0, body.dimensions)) : embeddings,
      total_duration: Math.round((performance.now() - started) * 1e6),
      load_duration: 0,
      prompt_eval_count: inputTokens,
    });
  });

  app.post("/embeddings", async (c) => {
    const body = await parseBody(c, ollamaEmbeddingsRequestSchema);
    const { embeddings } = await embed(ctx, "ollama", body.model, [body.prompt], ctx.signal(c.req.raw));
    return c.json({ embedding: embeddings[0] ?? [] });
  });

  return app;
}
