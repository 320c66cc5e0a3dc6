import type { Logger } from "pino";
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
}

export function createServerContext(host: ModelHost, metrics: ServerMetrics, logger: Logger, version: string, maxQueue: number): ServerContext {
  const gates = new Map<string, Admission>();
  return {
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
