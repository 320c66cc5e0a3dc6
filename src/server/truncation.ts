import type { Usage } from "../protocol/index.js";

/** `x-wren-input-truncated: true` when the prompt had to be cut to fit the context (never silent). */
export function truncationHeaders(usage: Usage): Record<string, string> {
  return usage.inputTruncated ? { "x-wren-input-truncated": "true" } : {};
}
