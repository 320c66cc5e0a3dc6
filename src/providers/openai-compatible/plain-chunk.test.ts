import { describe, expect, it } from "vitest";
import { chatChunkSchema } from "../../wire/openai/chat-response.js";
import { isPlainChunk } from "./plain-chunk.js";

const plain: unknown[] = [
  { id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { content: "Hello" }, finish_reason: null, logprobs: null }] },
  { choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null },
  { choices: [] },
  { choices: null },
  {},
];

const other: unknown[] = [
  null,
  "chunk",
  [],
  { usage: { prompt_tokens: 1, completion_tokens: 2 } },
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
    }
  });

  it("leaves anything else to the schema, whether it accepts it or not", () => {
    for (const chunk of other) expect(isPlainChunk(chunk)).toBe(false);
    // Among them both outcomes occur, so the schema alone decides them (and words any error).
    expect(other.some((chunk) => chatChunkSchema.safeParse(chunk).success)).toBe(true);
    expect(other.some((chunk) => !chatChunkSchema.safeParse(chunk).success)).toBe(true);
  });
});
