import type { Usage } from "../protocol/index.js";

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
  /**
   * Input read from the provider's prompt cache (`Usage.cachedInputTokens`). Default: `input` times
   * the provider's cache-read ratio in {@link CACHE_PRICE_RATIOS}, else `input` (no discount assumed).
   */
  cachedInput?: number | undefined;
  /**
   * Input written to the provider's prompt cache (`Usage.cacheWriteInputTokens`, which Anthropic
   * and OpenRouter report). Default: `input` times the provider's cache-write ratio, else `input`.
   */
  cacheWrite?: number | undefined;
}

/** Keys are `provider:model` or `provider:*`; the exact model wins. */
export type PriceTable = Record<string, Price>;

/**
 * What a provider's prompt cache costs per token, as a share of its input price, where the provider
 * says so for every model: Anthropic bills cache reads at 10% and (5-minute) cache writes at 125%,
 * OpenAI cached input at 50% or less (50% assumed: never an undercount), Gemini cached tokens at 25%
 * or less. A provider not named here, or a model priced otherwise, takes `cachedInput` and
 * `cacheWrite` from its price.
 */
export const CACHE_PRICE_RATIOS: Readonly<Record<string, { read: number; write: number }>> = {
  anthropic: { read: 0.1, write: 1.25 },
  openai: { read: 0.5, write: 1 },
  gemini: { read: 0.25, write: 1 },
};

/** A price with its cache prices filled in. */
export type ResolvedPrice = { [K in keyof Price]-?: number };

/** The price of `provider:model` in `table`, with its cache prices filled in; undefined when unpriced. */
export function priceOf(table: PriceTable, provider: string, model: string): ResolvedPrice | undefined {
  const price = table[`${provider}:${model}`] ?? table[`${provider}:*`];
  if (!price) return undefined;
  const ratios = CACHE_PRICE_RATIOS[provider] ?? { read: 1, write: 1 };
  return {
    input: price.input,
    output: price.output,
    cachedInput: price.cachedInput ?? price.input * ratios.read,
    cacheWrite: price.cacheWrite ?? price.input * ratios.write,
  };
}

/**
 * The cost in USD of one request's usage, or 0 when the table has no price for it (local models):
 * its cache reads at the cached-input price, its cache writes at the cache-write price, the rest of
 * its input at the input price.
 */
export function costOf(table: PriceTable, provider: string, model: string, usage: Usage): number {
  const price = priceOf(table, provider, model);
  if (!price) return 0;
  const read = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteInputTokens ?? 0, usage.inputTokens - read);
  const plain = usage.inputTokens - read - written;
  return (plain * price.input + read * price.cachedInput + written * price.cacheWrite + usage.outputTokens * price.output) / 1_000_000;
}

/**
 * The most a request of `inputTokens` prompt tokens and at most `outputTokens` output tokens can
 * cost before its answer says what was cached: every prompt token at the dearest input price (a
 * cache write costs more than plain input at Anthropic), none at the cached one. 0 when unpriced.
 */
export function largestCostOf(table: PriceTable, provider: string, model: string, inputTokens: number, outputTokens: number): number {
  const price = priceOf(table, provider, model);
  if (!price) return 0;
  return (inputTokens * Math.max(price.input, price.cachedInput, price.cacheWrite) + outputTokens * price.output) / 1_000_000;
}
