import { describe, expect, it } from "vitest";
import { chatChunkSchema, chatCompletionSchema } from "../../wire/openai/chat-response.js";
import { isPlainChunk, isPlainCompletion } from "./plain-chunk.js";

const plain: unknown[] = [
  { id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { content: "Hello" }, finish_reason: null, logprobs: null }] },
  { choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null },
  { choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, completion_tokens_details: { reasoning_tokens: 0 } } },
  { choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } },
  { choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 8, audio_tokens: 0 } } },
  { choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, prompt_tokens_details: null } },
  { choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 5 } } },
  { choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, prompt_cache_hit_tokens: 8, prompt_cache_miss_tokens: 1 } },
  { choices: [] },
  { choices: null },
  {},
];

const other: unknown[] = [
  null,
  "chunk",
  [],
  { usage: { prompt_tokens: 1 } },
  { usage: { prompt_tokens: "1", completion_tokens: 2 } },
  { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: "3" } },
  { usage: [] },
  // Unreadable prompt-cache details: the schema leaves them out.
  { usage: { prompt_tokens: 9, completion_tokens: 2, prompt_tokens_details: { cached_tokens: "8" } } },
  { usage: { prompt_tokens: 9, completion_tokens: 2, prompt_tokens_details: "none" } },
  { usage: { prompt_tokens: 9, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: "5" } } },
  { usage: { prompt_tokens: 9, completion_tokens: 2, prompt_cache_hit_tokens: "8" } },
  { wren_provenance: { provider: "openai", model: "m", reason: "r" } },
  { wren_provenance: "unreadable" },
  { choices: [{ delta: { tool_calls: [{ index: 0, id: "a", function: { name: "f" } }] } }] },
  { choices: [{ delta: { content: 5 } }] },
  { choices: [{ delta: [] }] },
  { choices: [{ finish_reason: 1 }] },
  { choices: [null] },
  { choices: {} },
];

describe("isPlainChunk", () => {
  it("accepts everyday chunks, each of which the schema accepts with the same fields", () => {
    for (const chunk of plain) {
      expect(isPlainChunk(chunk)).toBe(true);
      const parsed = chatChunkSchema.safeParse(chunk);
      expect(parsed.success).toBe(true);
      expect(parsed.data?.choices).toEqual((chunk as { choices?: unknown }).choices);
      expect(parsed.data?.usage).toEqual((chunk as { usage?: unknown }).usage);
    }
  });

  it("leaves anything else to the schema, whether it accepts it or not", () => {
    for (const chunk of other) expect(isPlainChunk(chunk)).toBe(false);
    // Among them both outcomes occur, so the schema alone decides them (and words any error).
    expect(other.some((chunk) => chatChunkSchema.safeParse(chunk).success)).toBe(true);
    expect(other.some((chunk) => !chatChunkSchema.safeParse(chunk).success)).toBe(true);
  });
});

const plainCompletions: unknown[] = [
  {
    id: "c1",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: "Hello", refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  },
  { choices: [{ message: { content: null }, finish_reason: "length" }], usage: null },
  { choices: [] },
];

const otherCompletions: unknown[] = [
  null,
  [],
  { choices: [{ message: { content: null, tool_calls: [{ id: "a", function: { name: "f", arguments: "{}" } }] } }] },
  { choices: [{ message: { content: 5 } }] },
  { choices: [{ message: "Hello" }] },
  { choices: [{ finish_reason: 1 }] },
  { choices: "none" },
  { choices: [], usage: { prompt_tokens: 1 } },
  { choices: [], wren_provenance: { provider: "openai", model: "m", reason: "r" } },
];

describe("isPlainCompletion", () => {
  it("accepts everyday answers, each of which the schema accepts with the same fields", () => {
    for (const completion of plainCompletions) {
      expect(isPlainCompletion(completion)).toBe(true);
      const parsed = chatCompletionSchema.safeParse(completion);
      expect(parsed.success).toBe(true);
      expect(parsed.data?.choices).toEqual((completion as { choices?: unknown }).choices);
      expect(parsed.data?.usage).toEqual((completion as { usage?: unknown }).usage);
    }
  });

  it("leaves anything else to the schema, whether it accepts it or not", () => {
    for (const completion of otherCompletions) expect(isPlainCompletion(completion)).toBe(false);
    expect(otherCompletions.some((c) => chatCompletionSchema.safeParse(c).success)).toBe(true);
    expect(otherCompletions.some((c) => !chatCompletionSchema.safeParse(c).success)).toBe(true);
  });

  it("declines an answer without choices, and the schema rejects it: it holds no answer at all", () => {
    for (const completion of [{}, { hello: "world" }, { choices: null, usage: { prompt_tokens: 1, completion_tokens: 1 } }]) {
      expect(isPlainCompletion(completion)).toBe(false);
      expect(chatCompletionSchema.safeParse(completion).success).toBe(false);
    }
    // A chunk may still come without choices (the usage chunk at the end of a stream).
    expect(isPlainChunk({ usage: { prompt_tokens: 1, completion_tokens: 1 } })).toBe(true);
  });
});
