import type { Provenance } from "../protocol/index.js";

/** The field wren adds to final stream events and non-streamed bodies; official clients ignore it. */
export interface ProvenanceField {
  wren_provenance?: Provenance;
}

/** The provenance of a model served directly by name (no router in between). */
export function directProvenance(modelId: string): Provenance {
  return { provider: "local", model: modelId, reason: "direct", route: "direct" };
}

/** The `x-wren-provider`, `x-wren-model`, `x-wren-route` and `x-wren-reason` response headers. */
export function provenanceHeaders(p: Provenance): Record<string, string> {
  return { "x-wren-provider": p.provider, "x-wren-model": p.model, "x-wren-route": p.route ?? p.reason, "x-wren-reason": p.reason };
}

/** The field added to final stream events and non-streamed bodies (clients ignore unknown fields). */
export function provenanceField(p: Provenance | undefined): ProvenanceField {
  return p ? { wren_provenance: p } : {};
}
