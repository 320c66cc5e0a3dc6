import type { Usage } from "../protocol/index.js";

/** No tokens: the sum of no answers. */
export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/** Adds a count that either side may leave out: absent when both do, so no answer's count is claimed that none stated. */
function addCount(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/**
 * The usage of two calls together (a run's turns, a plan's reviews): input, output and total; the
 * prompt-cache reads, the reads restored from saved prompt states and the cache writes of the calls
 * whose model stated them; and whether either call's input was cut to fit.
 */
export function addUsage(a: Usage, b: Usage): Usage {
  const cached = addCount(a.cachedInputTokens, b.cachedInputTokens);
  const restored = addCount(a.restoredInputTokens, b.restoredInputTokens);
  const written = addCount(a.cacheWriteInputTokens, b.cacheWriteInputTokens);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    ...(a.inputTruncated || b.inputTruncated ? { inputTruncated: true } : {}),
    ...(cached === undefined ? {} : { cachedInputTokens: cached }),
    ...(restored === undefined ? {} : { restoredInputTokens: restored }),
    ...(written === undefined ? {} : { cacheWriteInputTokens: written }),
  };
}
