/**
 * Prompt tokens at or past which a reused prefix counts as a prompt-cache hit whatever the prompt's
 * length: more than the prefix every prompt of a model shares (its BOS token, a chat template's
 * opening), and below the smallest prefix a cloud provider caches (1,024 tokens at OpenAI and
 * Anthropic, 64 at DeepSeek), so a teacher's stated cache read is always a hit.
 */
export const PROMPT_CACHE_HIT_TOKENS = 32;

/**
 * Whether a generation that reused `cachedTokens` of its `inputTokens` prompt tokens counts as a
 * prompt-cache hit: at least {@link PROMPT_CACHE_HIT_TOKENS} tokens, or more than one token and at
 * least half the prompt (a short conversation continued). Every prompt on a sequence another
 * request used shares that request's first token (BOS), and often the template's opening: that
 * reuse is real (the usage's cached count keeps it) but says nothing about the cache working, so
 * it is a miss. `/metrics` (`wren_prompt_cache_requests_total`) and a local model's prompt-reuse
 * stats count with this one rule.
 */
export function isPromptCacheHit(cachedTokens: number, inputTokens: number): boolean {
  return cachedTokens >= PROMPT_CACHE_HIT_TOKENS || (cachedTokens > 1 && cachedTokens * 2 >= inputTokens);
}
