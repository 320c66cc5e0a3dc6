import { describe, expect, it } from "vitest";
import { anthropicMessagesRequestSchema } from "./anthropic/index.js";
import { FIRST_ISSUE_ONLY } from "./first-issue.js";
import { ollamaChatRequestSchema } from "./ollama/index.js";
import { openaiChatRequestSchema } from "./openai/index.js";

/** `count` numbers where a schema expects something else: each one an issue when all are collected. */
const wrong = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

const firstIssue = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) => {
  const issue = result.error?.issues[0];
  return issue && { path: issue.path, message: issue.message };
};

describe("FIRST_ISSUE_ONLY", () => {
  it("stops each array at its first bad entry, and reports the same first issue", () => {
    const cases = [
      { schema: openaiChatRequestSchema, body: { model: "m", messages: wrong(1000) } },
      { schema: ollamaChatRequestSchema, body: { model: "m", messages: [{ role: "user", content: "hi", images: wrong(1000) }] } },
    ];
    for (const { schema, body } of cases) {
      const all = schema.safeParse(body);
      const first = schema.safeParse(body, FIRST_ISSUE_ONLY);
      // Without the flag zod collects one issue per entry: what a hostile body turns into memory.
      expect(all.error?.issues).toHaveLength(1000);
      expect(first.error?.issues).toHaveLength(1);
      expect(firstIssue(first)).toEqual(firstIssue(all));
    }
  });

  it("stops inside a union of a string and an array, keeping the union's one issue", () => {
    const body = { model: "m", messages: [{ role: "user", content: wrong(1000) }] };
    const all = openaiChatRequestSchema.safeParse(body);
    const first = openaiChatRequestSchema.safeParse(body, FIRST_ISSUE_ONLY);
    const nested = (result: typeof all): number => {
      const issue = result.error?.issues[0];
      // The array branch of the union: its own issues, one per bad entry unless stopped.
      return issue?.code === "invalid_union" ? (issue.errors[1]?.length ?? 0) : -1;
    };
    expect(nested(all)).toBe(1000);
    expect(nested(first)).toBe(1);
    expect(firstIssue(first)).toEqual({ path: ["messages", 0, "content"], message: "Invalid input" });
  });

  it("holds in Anthropic content blocks, which are checked by a parse of their own", () => {
    // Blocks are checked inside a transform (so a bad block keeps its own path): that inner parse
    // must stop at its first issue too, whatever the outer parse was asked to do.
    const content = { model: "m", max_tokens: 1, messages: [{ role: "user", content: wrong(1000) }] };
    const toolResult = { model: "m", max_tokens: 1, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: wrong(1000) }] }] };
    for (const body of [content, toolResult]) {
      const result = anthropicMessagesRequestSchema.safeParse(body);
      expect(result.error?.issues).toHaveLength(1);
    }
    expect(firstIssue(anthropicMessagesRequestSchema.safeParse(content))).toEqual({ path: ["messages", 0, "content", 0], message: "Invalid input: expected object, received number" });
    expect(firstIssue(anthropicMessagesRequestSchema.safeParse(toolResult))?.path).toEqual(["messages", 0, "content", 0, "content", 0]);
  });

  it("changes nothing for a body that passes", () => {
    const body = { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], stop: ["a", "b"] };
    expect(openaiChatRequestSchema.safeParse(body, FIRST_ISSUE_ONLY)).toEqual(openaiChatRequestSchema.safeParse(body));
  });
});
