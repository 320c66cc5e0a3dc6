import type { Logger } from "pino";
import { linkedAbortController } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";
import { Admission } from "./admission.js";
import type { ServerMetrics } from "./metrics.js";
import type { ModelHost, ServedModelInfo } from "./model-host.js";

/** What every route needs, passed explicitly (no module state). */
export interface ServerContext {
  host: ModelHost;
  metrics: ServerMetrics;
  logger: Logger;
  version: string;
  /** The admission gate of a model (created on first use). */
  admission(info: ServedModelInfo): Admission;
  /** Every admission gate, by model id. */
  admissions: ReadonlyMap<string, Admission>;
  /** The signal a request's work listens to: the client going away, or the request timeout. */
  signal(request: Request): AbortSignal;
  /** Arms the request timeout of one request (the app's middleware calls it). */
  arm(request: Request): void;
}

export function createServerContext(
  host: ModelHost,
  metrics: ServerMetrics,
  logger: Logger,
  version: string,
  maxQueue: number,
  requestTimeoutMs = 0,
): ServerContext {
  const gates = new Map<string, Admission>();
  const signals = new WeakMap<Request, AbortSignal>();
  return {
    signal: (request) => signals.get(request) ?? request.signal,
    arm(request) {
      if (requestTimeoutMs <= 0) return;
      const controller = linkedAbortController(request.signal);
      const timer = setTimeout(() => {
        controller.abort(
          new WrenError("timeout", `The request took longer than the server's limit of ${Math.round(requestTimeoutMs / 1000)} s.`, {
            hint: "Ask for fewer tokens (max_tokens), or raise server.requestTimeout.",
            isRetryable: true,
          }),
        );
      }, requestTimeoutMs);
      timer.unref();
      signals.set(request, controller.signal);
    },
    host,
    metrics,
    logger,
    version,
    admissions: gates,
    admission(info) {
      let gate = gates.get(info.id);
      if (!gate) {
        const g = new Admission(Math.max(1, info.parallel), maxQueue, () => {
          metrics.queueDepth.set({ model: info.id }, g.queued);
          metrics.activeSequences.set({ model: info.id }, g.active);
        });
        gate = g;
        gates.set(info.id, gate);
      }
      return gate;
    },
  };
}
