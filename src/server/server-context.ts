import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ClientIdentity } from "../protocol/index.js";
import type { BodyBudget } from "./body-budget.js";
import type { ServerMetrics } from "./metrics.js";
import type { ModelHost, ServedModelInfo } from "./model-host.js";
import { ModelLabels } from "./model-labels.js";
import { openRequestScope, type OwnedRequestScope, type RequestScope } from "./request-scope.js";

/** What every route needs, passed explicitly (no module state). */
export interface ServerContext {
  host: ModelHost;
  metrics: ServerMetrics;
  logger: Logger;
  version: string;
  /**
   * Milliseconds a streamed request waits for its first token before its response headers go out
   * anyway (0: wait for the first token). See {@link ServerAppOptions.streamHeadersAfterMs}.
   */
  streamHeadersAfterMs: number;
  /** The bytes of request bodies (and WebSocket messages) held at once, bounded (see {@link BodyBudget}). */
  bodies: BodyBudget;
  /** The `model` label of a model's metrics (see {@link ModelLabels}). */
  modelLabel(info: ServedModelInfo, admitted: boolean): string;
  /** The resources of one request: its signal (client gone or timeout), held by a streamed body. */
  scope(request: Request): RequestScope;
  /** Shorthand for `scope(request).signal`. */
  signal(request: Request): AbortSignal;
  /**
   * Opens the scope of one request, for the client the auth middleware found, with Node's response
   * where a streamed body may be written to it directly; the app's middleware ends it when the handler returns.
   */
  open(request: Request, client?: ClientIdentity, response?: ServerResponse): OwnedRequestScope;
}

/**
 * Where a request's scope is kept: on the request itself. Not a WeakMap keyed by requests: the
 * scope refers back to its request, and measured under wren serve, such entries (with all they
 * reach: the request, its response, its body) outlived V8's young-generation collections until a
 * full one, so every request was copied into the old generation and each young collection took
 * milliseconds.
 */
const scopeKey = Symbol("wren.requestScope");
type ScopedRequest = Request & { [scopeKey]?: RequestScope };

/** The scope the app's middleware opened for a request, if it passed it. */
export function openedScope(request: Request): RequestScope | undefined {
  return (request as ScopedRequest)[scopeKey];
}

export function createServerContext(
  host: ModelHost,
  metrics: ServerMetrics,
  logger: Logger,
  version: string,
  bodies: BodyBudget,
  requestTimeoutMs = 0,
  streamHeadersAfterMs = 0,
): ServerContext {
  const served = (id: string): boolean => host.list().some((m) => m.id === id);
  const labels = new ModelLabels(served);
  const scope = (request: Request): RequestScope => {
    const held = request as ScopedRequest;
    // A request that did not pass the middleware (never in the app, but cheap to be safe about).
    return (held[scopeKey] ??= openRequestScope(request.signal, 0));
  };
  return {
    host,
    metrics,
    logger,
    version,
    bodies,
    streamHeadersAfterMs,
    scope,
    signal: (request) => scope(request).signal,
    open(request, client, response) {
      // The request's own signal is read only where no Node response tells of the client going away.
      const s = openRequestScope(() => request.signal, requestTimeoutMs, { adapter: request.headers.get("x-wren-adapter") ?? undefined, client, response });
      (request as ScopedRequest)[scopeKey] = s;
      return s;
    },
    modelLabel: (info, admitted) => labels.label(info.id, admitted),
  };
}
