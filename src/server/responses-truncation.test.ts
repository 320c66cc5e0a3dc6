import { describe, expect, it } from "vitest";
import type { ChatRequest, Message } from "../protocol/index.js";
import { dropOldest } from "./responses-truncation.js";

const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const call: Message = { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "f", input: {} }] };
const result: Message = { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "f", output: "ok" }] };

describe("dropOldest (truncation: auto)", () => {
  const request: ChatRequest = { messages: [{ role: "system", content: "Be brief." }, user("a"), call, result, user("b")], temperature: 0 };

  it("keeps the instructions and the last message, and drops a tool result whose call went", () => {
    expect(dropOldest(request, 1)).toEqual({ ...request, messages: [{ role: "system", content: "Be brief." }, call, result, user("b")] });
    expect(dropOldest(request, 2)!.messages).toEqual([{ role: "system", content: "Be brief." }, user("b")]);
    expect(dropOldest(request, 99)!.messages).toEqual([{ role: "system", content: "Be brief." }, user("b")]);
  });

  it("has nothing to drop from a conversation of one message", () => {
    expect(dropOldest({ messages: [{ role: "system", content: "x" }, user("only")] }, 1)).toBeUndefined();
    expect(dropOldest({ messages: [{ role: "system", content: "x" }] }, 1)).toBeUndefined();
  });
});
