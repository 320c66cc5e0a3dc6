import type { StreamPart } from "../../../src/protocol/index.js";

/** One tool call in a scripted answer. */
export interface ScriptedCall {
  id: string;
  name: string;
  input: unknown;
}

const usage = { inputTokens: 10, outputTokens: 4, totalTokens: 14 };

/** The parts of an answer with some text (optional) and several tool calls, as a provider streams them. */
export function toolCallsAnswer(calls: ScriptedCall[], text = ""): StreamPart[] {
  const parts: StreamPart[] = [{ type: "stream-start", provider: "scripted", modelId: "m" }];
  if (text) parts.push({ type: "text-start", id: "t0" }, { type: "text-delta", id: "t0", delta: text }, { type: "text-end", id: "t0" });
  for (const call of calls) {
    const input = JSON.stringify(call.input);
    parts.push(
      { type: "tool-input-start", id: call.id, toolName: call.name },
      { type: "tool-input-delta", id: call.id, delta: input },
      { type: "tool-input-end", id: call.id },
      { type: "tool-call", toolCallId: call.id, toolName: call.name, input },
    );
  }
  parts.push({ type: "finish", finishReason: "tool-calls", usage });
  return parts;
}
