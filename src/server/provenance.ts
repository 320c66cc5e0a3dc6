import type { Provenance } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { headerValue } from "./header-value.js";

/** The field wren adds to final stream events and non-streamed bodies; official clients ignore it. */
export interface ProvenanceField {
  wren_provenance?: Provenance;
}

/** The provenance of a model served directly by name (no router in between). */
export function directProvenance(modelId: string, adapter?: string): Provenance {
  return { provider: "local", model: modelId, reason: "direct", route: "direct", ...(adapter ? { adapter } : {}) };
}

/**
 * The `x-wren-provider`, `x-wren-model`, `x-wren-route` and `x-wren-reason` response headers, and
 * `x-wren-adapter` and `x-wren-replica` when set. The model may be a name a client chose, so every
 * value goes through {@link headerValue}.
 */
export function provenanceHeaders(p: Provenance): Record<string, string> {
  return {
    "x-wren-provider": headerValue(p.provider),
    "x-wren-model": headerValue(p.model),
    "x-wren-route": headerValue(p.route ?? p.reason),
    "x-wren-reason": headerValue(p.reason),
    ...(p.adapter ? { "x-wren-adapter": headerValue(p.adapter) } : {}),
    ...(p.replica ? { "x-wren-replica": headerValue(p.replica) } : {}),
  };
}

/** The field added to final stream events and non-streamed bodies (clients ignore unknown fields). */
export function provenanceField(p: Provenance | undefined): ProvenanceField {
  return p ? { wren_provenance: p } : {};
}

/** The error with what is known of who would have answered, for {@link provenanceOfError}. */
export function withProvenance(error: WrenError, provenance: Provenance | undefined): WrenError {
  if (!provenance || error.provenance) return error;
  return new WrenError(error.code, error.message, {
    cause: error,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    isRetryable: error.isRetryable,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    ...(error.details === undefined ? {} : { details: error.details }),
    provenance,
  });
}

/** The provenance an error response carries as headers, when the router said who it was about. */
export function provenanceOfError(error: WrenError): Provenance | undefined {
  return error.provenance;
}
