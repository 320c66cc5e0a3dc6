import { loadRecordings, type Recordings } from "./dialects.js";

/**
 * The tokens a stand-in model writes `text` in, cut as OpenAI's tokenizers (o200k, cl100k) cut JSON:
 * `{"`, `":"`, `"}` and a lone `"` are one token each, a word is one token up to 3 characters
 * (`negative` is `neg`, `ati`, `ve`), and `answer`, a common word, is one.
 */
export function standInTokens(text: string): string[] {
  return text.match(/\{"|":"|"\}|answer|"|[^"{}:]{1,3}|./gsu) ?? [];
}

/** A stand-in model's answer to a request: the text it means to write, cut at `limit` tokens. */
export interface LimitedAnswer {
  /** The tokens written. */
  tokens: string[];
  /** Whether it ran out of tokens before it ended (finish reason `length`). */
  cut: boolean;
}

export function limitedAnswer(text: string, limit: number | undefined): LimitedAnswer {
  const all = standInTokens(text);
  const tokens = limit === undefined ? all : all.slice(0, limit);
  return { tokens, cut: tokens.length < all.length };
}

/**
 * An OpenAI chat completions server's answers for a request (body and stream, exactly as
 * api.openai.com shapes them): `text(body)` written `tokensPerChunk` tokens a chunk (default one,
 * as api.openai.com streams; servers that batch their output send several), cut at the request's
 * `max_tokens` with finish reason `length`, `completion_tokens` the tokens written.
 */
export function openaiLimited(text: (body: Record<string, unknown>) => string, tokensPerChunk = 1): (body: Record<string, unknown>) => Recordings {
  const recorded = loadRecordings("openai");
  return (body) => {
    const { tokens, cut } = limitedAnswer(text(body), body["max_tokens"] as number | undefined);
    const finish = cut ? "length" : "stop";
    const usage = { prompt_tokens: 12, completion_tokens: tokens.length, total_tokens: 12 + tokens.length };
    const base = { id: "chatcmpl-limited", object: "chat.completion.chunk", created: 1732140000, model: "gpt-4o-mini-2024-07-18", system_fingerprint: "fp_0ba0d124f1" };
    const chunk = (delta: object, finishReason: string | null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], usage: null });
    return {
      ...recorded,
      text: {
        body: {
          ...base,
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: tokens.join(""), refusal: null }, logprobs: null, finish_reason: finish }],
          usage,
        },
        stream: [chunk({ role: "assistant", content: "", refusal: null }, null), ...chunked(tokens, tokensPerChunk).map((t) => chunk({ content: t }, null)), chunk({}, finish), { ...base, choices: [], usage }],
      },
    };
  };
}

/** `tokens` joined `size` at a time: the text of each chunk. */
function chunked(tokens: string[], size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += size) out.push(tokens.slice(i, i + size).join(""));
  return out;
}

/**
 * An Ollama server's `/api/chat` answers for a request (body and NDJSON stream as Ollama writes
 * them): `text(body)` a token a line, cut at `options.num_predict` with `done_reason` `length`,
 * `eval_count` the tokens written.
 */
export function ollamaLimited(text: (body: Record<string, unknown>) => string): (body: Record<string, unknown>) => Recordings {
  const recorded = loadRecordings("ollama");
  return (body) => {
    const options = body["options"] as { num_predict?: number } | undefined;
    const { tokens, cut } = limitedAnswer(text(body), options?.num_predict);
    const base = { model: "llama3.2", created_at: "2026-11-20T22:14:05.011Z" };
    const done = { done_reason: cut ? "length" : "stop", done: true, total_duration: 412345678, prompt_eval_count: 12, eval_count: tokens.length, eval_duration: 301234567 };
    return {
      ...recorded,
      text: {
        body: { ...base, message: { role: "assistant", content: tokens.join("") }, ...done },
        stream: [...tokens.map((t) => ({ ...base, message: { role: "assistant", content: t }, done: false })), { ...base, message: { role: "assistant", content: "" }, ...done }],
      },
    };
  };
}
