import type { Usage } from "../protocol/index.js";

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/** Keys are `provider:model` or `provider:*`; the exact model wins. */
export type PriceTable = Record<string, Price>;

/** The cost in USD of one request's usage, or 0 when the table has no price for it (local models). */
export function costOf(table: PriceTable, provider: string, model: string, usage: Usage): number {
  const price = table[`${provider}:${model}`] ?? table[`${provider}:*`];
  if (!price) return 0;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
