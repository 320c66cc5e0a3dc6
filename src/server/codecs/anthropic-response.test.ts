import { describe, expect, it } from "vitest";
import type { GenerateResult } from "../../protocol/index.js";
import { anthropicMessage } from "./anthropic-response.js";

const usage = { inputTokens: 10, outputTokens: 8, totalTokens: 18 };

describe("anthropicMessage", () => {
  it("gives a tool_use block an object input always: a call max_tokens cut off (its arguments not yet JSON) has the empty object", () => {
    const result = (input: unknown): GenerateResult => ({ content: [{ type: "tool-call", toolCallId: "toolu_1", toolName: "get_weather", input }], finishReason: "length", usage });
    expect(anthropicMessage(result('{"city": "Par'), "msg_1", "chat")).toMatchObject({ stop_reason: "max_tokens", content: [{ type: "tool_use", name: "get_weather", input: {} }] });
    expect(anthropicMessage(result('{"city": "Paris"}'), "msg_1", "chat").content[0]).toMatchObject({ input: { city: "Paris" } });
    expect(anthropicMessage(result({ city: "Paris" }), "msg_1", "chat").content[0]).toMatchObject({ input: { city: "Paris" } });
    expect(anthropicMessage(result("[1, 2]"), "msg_1", "chat").content[0]).toMatchObject({ input: {} });
  });
});
