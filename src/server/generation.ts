import type { ServerResponse } from "node:http";
import type { ChatRequest, GenerateResult, Provenance, StreamPart } from "../protocol/index.js";
import { collectStream } from "../protocol/index.js";
import { isPromptCacheHit } from "../shared/prompt-cache-hit.js";
import { WrenError, deserializeError, isWrenError, serializeError, toWrenError } from "../shared/errors.js";
import type { ServerContext } from "./server-context.js";
import type { Dialect } from "./dialect.js";
import type { ModelLease, ServedModelInfo } from "./model-host.js";
import { checkModelName } from "./model-name.js";
import { directProvenance, withProvenance } from "./provenance.js";
import type { GenerationSeries } from "./metrics.js";
import type { RequestScope } from "./request-scope.js";

/**
 * Resolves a client's model name, or throws `bad_request` for a name no model can have (too long,
 * unprintable) and `model_not_found` naming the models there are.
 */
export function resolveModel(ctx: ServerContext, name: string): ServedModelInfo {
  checkModelName(name);
  const info = ctx.host.resolve(name);
  if (info) return info;
  const names = ctx.host.list().map((m) => m.id);
  throw new WrenError("model_not_found", `Model '${name}' is not served here.`, {
    hint: names.length > 0 ? `Use one of: ${names.join(", ")}.` : "Start the server with --model REF.",
    details: { param: "model" },
  });
}

/** `MODEL+ADAPTER`; a 400 when the model is one adapters cannot apply to (a routed name, a teacher). */
function withAdapter(ctx: ServerContext, modelName: string, adapter: string): string {
  const name = `${modelName}+${adapter}`;
  const base = ctx.host.resolve(modelName);
  if (base && !ctx.host.resolve(name)) {
    throw new WrenError("bad_request", `x-wren-adapter applies to local models served by name; '${modelName}' is not one.`, {
      hint: `Name a local model (${ctx.host.list().filter((m) => !m.routed).map((m) => m.id).join(", ") || "none is served"}), or leave the header out.`,
      details: { param: "x-wren-adapter" },
    });
  }
  return name;
}

/**
 * Holds a model for one request (loading it if need be), released exactly once. Admission is the
 * model's own: a local model queues the request for a sequence when it streams (and refuses it
 * with 429 past its queue), so the server waits in no line of its own.
 */
export interface Held {
  lease: ModelLease;
  release(): void;
}

export async function holdModel(ctx: ServerContext, info: ServedModelInfo, signal: AbortSignal): Promise<Held> {
  const lease = await ctx.host.acquire(info.id, signal);
  let released = false;
  return {
    lease,
    release() {
      if (released) return;
      released = true;
      lease.release();
    },
  };
}

/**
 * Why a generation's own signal is aborted when it closes. Made once: building an error (with its
 * stack) for every request costs more than anything reading this reason needs.
 */
const generationClosed = new WrenError("aborted", "The generation was closed.");

/** The request's own timeout, when that is what aborted its signal (a 504, not a client's cancel). */
function timeoutOf(signal: AbortSignal): WrenError | undefined {
  const reason: unknown = signal.reason;
  return isWrenError(reason) && reason.code === "timeout" ? reason : undefined;
}

/** A part that only announces what follows (no token yet): the head pulls past it. */
function opensOnly(part: StreamPart): boolean {
  return part.type === "stream-start" || part.type === "input-usage" || part.type === "text-start" || part.type === "tool-input-start";
}

/** A running generation: its parts, pulled by the edge that writes them to the client. */
export interface Generation {
  info: ServedModelInfo;
  parts: AsyncIterator<StreamPart>;
  /**
   * The parts pulled before the edge commits to a status: the model's `stream-start` and block
   * openings, if any, and the first part after them (a token, the finish or an error), so that
   * errors up to the first token still get an HTTP status.
   */
  head: StreamPart[];
  /**
   * Who answers and why, known before the first byte: the router's `stream-start` provenance, or
   * `{provider: "local", model: id, reason: "direct"}` for a model served by name.
   */
  provenance: Provenance;
  /**
   * True when the headers go out before a routed request's first token (see
   * `streamHeadersAfterMs`): `provenance` is not known yet, so no provenance headers are sent.
   */
  provenanceUnknown?: boolean;
  /** Stops the model, frees its sequence and lets go of the request's scope; safe to call more than once. */
  close(): Promise<void>;
  /** Node's response, where the edge may write the stream to it directly (see {@link RequestScope.response}). */
  response?: ServerResponse | undefined;
}

/** When a generation started and had its first token, for its metrics. */
interface Timing {
  started: number;
  firstTokenAt: number | undefined;
}

/**
 * Records a generation's part into the metrics: its first token's time, and at its finish the
 * tokens, the prompt cache's hits, the queue wait and the decode speed. An answer that arrived
 * whole (its finish carries it) had its first token when it arrived, and has no decode speed.
 */
function recordPart(ctx: ServerContext, part: StreamPart, keys: GenerationSeries, timing: Timing): void {
  const metrics = ctx.metrics;
  const token = part.type === "text-delta" || part.type === "tool-call" || part.type === "tool-input-delta" || (part.type === "finish" && (part.content?.length ?? 0) > 0);
  // An answer whose first token came with its finish arrived whole: its decode speed is unknown.
  let whole = false;
  if (timing.firstTokenAt === undefined && token) {
    timing.firstTokenAt = performance.now();
    whole = part.type === "finish";
    metrics.ttft.observeIn(keys.model, (timing.firstTokenAt - timing.started) / 1000);
  }
  if (part.type === "finish") {
    metrics.tokens.addTo(keys.input, part.usage.inputTokens);
    metrics.tokens.addTo(keys.output, part.usage.outputTokens);
    // Reported by local models and by teachers whose upstream states a cache count: an answer without one counts as neither hit nor miss.
    if (part.usage.cachedInputTokens !== undefined) {
      metrics.tokens.addTo(keys.cached, part.usage.cachedInputTokens);
      metrics.promptCache.addTo(isPromptCacheHit(part.usage.cachedInputTokens, part.usage.inputTokens) ? keys.hit : keys.miss, 1);
      metrics.restoredTokens.addTo(keys.model, part.usage.restoredInputTokens ?? 0);
    }
    // Reported by teachers whose upstream states its prompt-cache writes (Anthropic's).
    if (part.usage.cacheWriteInputTokens !== undefined) metrics.tokens.addTo(keys.cacheWrite, part.usage.cacheWriteInputTokens);
    if (part.timings?.queuedMs !== undefined) metrics.queueWait.observeIn(keys.model, part.timings.queuedMs / 1000);
    if (whole || part.usage.outputTokens <= 1) return;
    const seconds = (performance.now() - (timing.firstTokenAt ?? timing.started)) / 1000;
    if (seconds > 0) metrics.decode.observeIn(keys.model, (part.usage.outputTokens - 1) / seconds);
  }
}

/**
 * Starts a generation (`generate`: the client wants one response, so the headers wait for it
 * however long its first token takes; {@link generate} asks routed names for theirs whole):
 * resolve → admit → load → doStream, and pulls parts up to the first
 * token (or the finish, or an error) before the edge commits to a status, so errors known before
 * the first token (a sampling value the model refuses, a prompt too long) become proper error
 * responses. The generation holds the request's scope (its timeout) until it is closed. Usage,
 * time to first token and speed are recorded into the metrics as parts pass, once the model
 * admitted the request.
 */
export async function startGeneration(
  ctx: ServerContext,
  dialect: Dialect,
  modelName: string,
  request: ChatRequest,
  scope: RequestScope,
  mode: "stream" | "generate" = "stream",
): Promise<Generation> {
  return openGeneration(ctx, dialect, requestedModel(ctx, modelName, scope), request, scope, mode);
}

/** The model a request names, with the adapter its `x-wren-adapter` header asks for. */
function requestedModel(ctx: ServerContext, modelName: string, scope: RequestScope): ServedModelInfo {
  // `x-wren-adapter: NAME[:SCALE]` is the same as asking for the model `MODEL+NAME[:SCALE]`.
  return resolveModel(ctx, scope.adapter ? withAdapter(ctx, modelName, scope.adapter) : modelName);
}

/** {@link startGeneration} of a model already resolved. */
async function openGeneration(
  ctx: ServerContext,
  dialect: Dialect,
  info: ServedModelInfo,
  request: ChatRequest,
  scope: RequestScope,
  mode: "stream" | "generate",
): Promise<Generation> {
  // The request's signal is the generation's: the client going away, the timeout, or the
  // generation closed early (scope.cancel) stop the model. One controller per request.
  const signal = scope.signal;
  const letGo = scope.hold();
  const held = await holdModel(ctx, info, signal).catch((error: unknown) => {
    letGo();
    throw error;
  });
  const started = performance.now();
  // Known once the model admitted the request: a name that fails before its first token gets no label.
  let labels: GenerationSeries | undefined = undefined;
  const unobserved: StreamPart[] = [];
  let provenance = directProvenance(info.id, held.lease.model.info.adapter);
  const language = held.lease.model.language;
  const inner = language.doStream(request, { signal, client: scope.client })[Symbol.asyncIterator]();
  let closed = false;
  /**
   * `ended`: the model's stream ended by itself (its finish, its error or its end). Then nothing
   * is left to stop and the signal is not aborted: an abort dispatches an event through every
   * listener linked to it, a few hundredths of a millisecond per request for nothing.
   */
  const close = async (ended = false): Promise<void> => {
    if (closed) return;
    closed = true;
    if (!ended && !signal.aborted) scope.cancel(generationClosed);
    try {
      await inner.return?.();
    } catch {
      // The model is being torn down on purpose; its cleanup error is not the client's problem.
    } finally {
      held.release();
      letGo();
    }
  };
  const timing: Timing = { started, firstTokenAt: undefined };
  const record = (part: StreamPart, keys: GenerationSeries): void => recordPart(ctx, part, keys, timing);
  const observe = (part: StreamPart): void => {
    if (labels) record(part, labels);
    else unobserved.push(part);
  };
  /** An abort caused by the request timeout is an error (504), not a client's cancel. */
  const timedOut = (part: StreamPart): StreamPart => {
    if (part.type !== "finish" || part.finishReason !== "abort") return part;
    const timeout = timeoutOf(signal);
    return timeout ? { type: "error", error: serializeError(timeout) } : part;
  };
  const parts: AsyncIterator<StreamPart> = {
    async next() {
      if (closed) return { done: true, value: undefined };
      try {
        const r = await inner.next();
        if (r.done) {
          await close(true);
          return r;
        }
        let part = timedOut(r.value);
        if (part.type === "stream-start" && part.provenance) provenance = part.provenance;
        // The final event always says who answered: the router's own, else the one known so far.
        if (part.type === "finish") part = Object.assign({}, part, { provenance: part.provenance ?? provenance });
        observe(part);
        if (part.type === "finish" || part.type === "error") await close(true);
        return { done: false, value: part };
      } catch (error) {
        // A model's stream that threw has ended: nothing is left to stop, and the request's signal
        // stays as it is (a request may start another generation: truncation's next attempt).
        await close(true);
        const timeout = timeoutOf(signal);
        if (timeout) return { done: false, value: { type: "error", error: serializeError(timeout) } };
        if (signal.aborted) {
          return { done: false, value: { type: "finish", finishReason: "abort", usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } } };
        }
        return { done: false, value: { type: "error", error: serializeError(error) } };
      }
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
  };
  const head: StreamPart[] = [];
  // A streamed request whose first token is slow (a long prompt evaluating) gets its headers when
  // the deadline passes; the pull still running then is the edge's first.
  let pending: Promise<IteratorResult<StreamPart>> | undefined;
  const deadline = mode === "stream" && ctx.streamHeadersAfterMs > 0 ? headDeadline(ctx.streamHeadersAfterMs) : undefined;
  try {
    for (;;) {
      const next = parts.next();
      const r = deadline ? await Promise.race([next, deadline.passed]) : await next;
      if (r === headDeadlinePassed) {
        pending = next;
        break;
      }
      if (r.done) throw new WrenError("internal", `Model '${info.id}' ended its stream before any token, finish or error.`);
      head.push(r.value);
      if (!opensOnly(r.value)) break;
    }
  } catch (error) {
    await close();
    throw toWrenError(error);
  } finally {
    deadline?.clear();
  }
  const last = head.at(-1);
  if (last?.type === "error") {
    await close();
    throw withProvenance(deserializeError(last.error), last.provenance);
  }
  labels = ctx.metrics.seriesOf(dialect, ctx.modelLabel(info, true));
  ctx.metrics.modelRequests.addTo(labels.model, 1);
  for (const part of unobserved.splice(0)) record(part, labels);
  if (pending) {
    let first: Promise<IteratorResult<StreamPart>> | undefined = pending;
    const rest: AsyncIterator<StreamPart> = {
      next() {
        const p = first ?? parts.next();
        first = undefined;
        return p;
      },
      return: () => parts.return!(),
    };
    // Who answers a routed request is known only once it answers: no provenance headers then (the
    // final event still carries it).
    return { info, parts: rest, head, close, provenance, response: scope.response, ...(info.routed ? { provenanceUnknown: true } : {}) };
  }
  return { info, parts, head, close, provenance, response: scope.response };
}

const headDeadlinePassed = Symbol("head deadline passed");

/** One timer for a generation's head: `passed` settles when it fires; `clear` stops it. */
function headDeadline(ms: number): { passed: Promise<typeof headDeadlinePassed>; clear(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const passed = new Promise<typeof headDeadlinePassed>((resolve) => {
    timer = setTimeout(() => resolve(headDeadlinePassed), ms);
  });
  return { passed, clear: () => clearTimeout(timer) };
}

/** Iterates a generation's parts, the pulled head included. */
export async function* partsOf(gen: Generation): AsyncGenerator<StreamPart> {
  try {
    for (const part of gen.head) yield part;
    for (;;) {
      const r = await gen.parts.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await gen.close();
  }
}

/** Embeds texts with a model that supports it; with `truncate`, an input too long for it is cut to fit. */
export async function embed(
  ctx: ServerContext,
  dialect: Dialect,
  model: string,
  inputs: string[],
  signal: AbortSignal,
  truncate = false,
): Promise<{ embeddings: number[][]; inputTokens: number; modelId: string }> {
  const info = resolveModel(ctx, model);
  const held = await holdModel(ctx, info, signal);
  try {
    const embedder = held.lease.model.embedding;
    if (!embedder) {
      throw new WrenError("unsupported", `Model '${info.id}' does not produce embeddings.`, {
        hint: "Use an embedding-capable model for this endpoint.",
      });
    }
    const labels = { dialect, model: ctx.modelLabel(info, true) };
    ctx.metrics.modelRequests.add(labels, 1);
    const result = await embedder.doEmbed(inputs, { signal, truncate });
    ctx.metrics.tokens.add({ ...labels, kind: "input" }, result.usage.inputTokens);
    return { embeddings: result.embeddings, inputTokens: result.usage.inputTokens, modelId: info.id };
  } finally {
    held.release();
  }
}

/** Counts the tokens of a request as the model would see it. */
export async function countTokens(ctx: ServerContext, model: string, request: ChatRequest, signal: AbortSignal): Promise<number> {
  const info = resolveModel(ctx, model);
  const lease = await ctx.host.acquire(info.id, signal);
  try {
    const counter = lease.model.tokens;
    if (!counter) {
      throw new WrenError("unsupported", `Model '${info.id}' cannot count tokens.`, { hint: "Use a local model for token counting." });
    }
    return await counter.countTokens(request);
  } finally {
    lease.release();
  }
}

/**
 * Runs a request to completion (non-streamed). A routed name's answer is asked for whole (see
 * {@link generateWhole}); a local model's streams into the same result.
 */
export async function generate(
  ctx: ServerContext,
  dialect: Dialect,
  model: string,
  request: ChatRequest,
  scope: RequestScope,
): Promise<{ result: GenerateResult; modelId: string; provenance: Provenance }> {
  const info = requestedModel(ctx, model, scope);
  if (info.routed) return generateWhole(ctx, dialect, info, request, scope);
  const gen = await openGeneration(ctx, dialect, info, request, scope, "generate");
  const result = await collectStream(partsOf(gen));
  return { result, modelId: gen.info.id, provenance: result.provenance ?? gen.provenance };
}

/**
 * A routed name's non-streamed answer: the router calls its targets without streaming, so a
 * response cut before it is whole is a failure before any byte reached the client, and the router
 * fails over to its next target instead of answering 502. Its answer comes as one result, with
 * nothing to pull part by part: the metrics, the request's timeout (504) and its scope are as a
 * generation's (see {@link startGeneration}), without its per-part machinery.
 */
async function generateWhole(
  ctx: ServerContext,
  dialect: Dialect,
  info: ServedModelInfo,
  request: ChatRequest,
  scope: RequestScope,
): Promise<{ result: GenerateResult; modelId: string; provenance: Provenance }> {
  const signal = scope.signal;
  const letGo = scope.hold();
  try {
    const held = await holdModel(ctx, info, signal);
    try {
      const timing: Timing = { started: performance.now(), firstTokenAt: undefined };
      let result: GenerateResult;
      try {
        result = await held.lease.model.language.doGenerate(request, { signal, client: scope.client });
      } catch (error) {
        // As a generation's parts: the request's timeout is a 504, a client gone an aborted answer.
        const timeout = timeoutOf(signal);
        if (timeout) throw timeout;
        if (!signal.aborted) throw toWrenError(error);
        result = { content: [], finishReason: "abort", usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } };
      }
      const timeout = result.finishReason === "abort" ? timeoutOf(signal) : undefined;
      if (timeout) throw timeout;
      const provenance = result.provenance ?? directProvenance(info.id, held.lease.model.info.adapter);
      const labels = ctx.metrics.seriesOf(dialect, ctx.modelLabel(info, true));
      ctx.metrics.modelRequests.addTo(labels.model, 1);
      recordPart(ctx, { type: "finish", finishReason: result.finishReason, usage: result.usage, content: result.content, ...(result.timings ? { timings: result.timings } : {}) }, labels, timing);
      return { result: result.provenance ? result : { ...result, provenance }, modelId: info.id, provenance };
    } finally {
      held.release();
    }
  } finally {
    letGo();
  }
}
