import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { costOf, largestCostOf } from "./cost.js";

/** A prompt of 5,212 tokens, 5,000 read from the provider's cache and 200 written to it, and 100 output tokens. */
const cachedUsage = { inputTokens: 5212, cachedInputTokens: 5000, cacheWriteInputTokens: 200, outputTokens: 100, totalTokens: 5312 };

describe("costOf", () => {
  it("prices an Anthropic teacher's cache reads at 10% of input and its cache writes at 125%", () => {
    const prices = { "anthropic:*": { input: 3, output: 15 } };
    const expected = (12 * 3 + 5000 * 0.3 + 200 * 3.75 + 100 * 15) / 1_000_000;
    expect(costOf(prices, "anthropic", "claude-sonnet-4-6", cachedUsage)).toBeCloseTo(expected, 12);
  });

  it("prices an OpenAI teacher's cached input at half the input price and a Gemini teacher's at a quarter", () => {
    const usage = { inputTokens: 1000, cachedInputTokens: 800, outputTokens: 10, totalTokens: 1010 };
    expect(costOf({ "openai:*": { input: 2, output: 8 } }, "openai", "gpt-4.1", usage)).toBeCloseTo((200 * 2 + 800 * 1 + 10 * 8) / 1_000_000, 12);
    expect(costOf({ "gemini:*": { input: 1.25, output: 10 } }, "gemini", "gemini-2.5-pro", usage)).toBeCloseTo((200 * 1.25 + 800 * 0.3125 + 10 * 10) / 1_000_000, 12);
  });

  it("takes cachedInput and cacheWrite from the price where it has them, for any provider", () => {
    const prices = { "anthropic:claude-opus-4-1": { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 30 }, "deepseek:*": { input: 0.56, output: 1.68, cachedInput: 0.07 } };
    expect(costOf(prices, "anthropic", "claude-opus-4-1", cachedUsage)).toBeCloseTo((12 * 15 + 5000 * 1.5 + 200 * 30 + 100 * 75) / 1_000_000, 12);
    const usage = { inputTokens: 1000, cachedInputTokens: 900, outputTokens: 0, totalTokens: 1000 };
    expect(costOf(prices, "deepseek", "deepseek-chat", usage)).toBeCloseTo((100 * 0.56 + 900 * 0.07) / 1_000_000, 12);
  });

  it("takes cachedInput and cacheWrite from router.prices in the config", () => {
    const { prices } = defaultConfig({ env: {} }, { router: { prices: { "anthropic:*": { input: 3, output: 15, cachedInput: 0.5, cacheWrite: 6 } } } }).router;
    expect(costOf(prices, "anthropic", "claude", cachedUsage)).toBeCloseTo((12 * 3 + 5000 * 0.5 + 200 * 6 + 100 * 15) / 1_000_000, 12);
    expect(() => defaultConfig({ env: {} }, { router: { prices: { "openai:*": { input: 1, output: 1, cachedInput: -1 } } } })).toThrow();
  });

  it("prices cached input at the input price for a provider whose cache price it does not know", () => {
    const usage = { inputTokens: 1000, cachedInputTokens: 900, outputTokens: 10, totalTokens: 1010 };
    expect(costOf({ "groq:*": { input: 0.5, output: 1 } }, "groq", "llama", usage)).toBeCloseTo((1000 * 0.5 + 10 * 1) / 1_000_000, 12);
  });

  it("is 0 for an unpriced model, and an answer without cache counts costs all its input at the input price", () => {
    expect(costOf({}, "anthropic", "claude-sonnet-4-6", cachedUsage)).toBe(0);
    expect(costOf({ "anthropic:*": { input: 3, output: 15 } }, "anthropic", "claude", { inputTokens: 100, outputTokens: 10, totalTokens: 110 })).toBeCloseTo((100 * 3 + 10 * 15) / 1_000_000, 12);
  });
});

describe("largestCostOf (a budget's hold, before the answer says what was cached)", () => {
  it("holds the prompt at the dearest input price: an Anthropic cache write's, the input price elsewhere", () => {
    expect(largestCostOf({ "anthropic:*": { input: 3, output: 15 } }, "anthropic", "claude", 1000, 100)).toBeCloseTo((1000 * 3.75 + 100 * 15) / 1_000_000, 12);
    expect(largestCostOf({ "openai:*": { input: 2, output: 8 } }, "openai", "gpt", 1000, 100)).toBeCloseTo((1000 * 2 + 100 * 8) / 1_000_000, 12);
    expect(largestCostOf({}, "openai", "gpt", 1000, 100)).toBe(0);
  });
});
