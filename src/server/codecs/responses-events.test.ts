import { describe, expect, it } from "vitest";
import type { StreamPart } from "../../protocol/index.js";
import { ResponsesEventer } from "./responses-events.js";
import { newResponseShell } from "./responses-response.js";

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5 };

function run(parts: StreamPart[]) {
  const eventer = new ResponsesEventer(newResponseShell({ model: "m" }));
  const events = parts.flatMap((p) => eventer.push(p));
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  return { events, types: events.map((e) => e.type), final: eventer.final };
}

describe("ResponsesEventer", () => {
  it("streams tool input as argument deltas, and text then a call as two output items", () => {
    const { types, events, final } = run([
      { type: "stream-start", provider: "p", modelId: "m" },
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "Let me look." },
      { type: "text-end", id: "t" },
      { type: "tool-input-start", id: "call_1", toolName: "get" },
      { type: "tool-input-delta", id: "call_1", delta: '{"a":' },
      { type: "tool-input-delta", id: "call_1", delta: "1}" },
      { type: "tool-input-end", id: "call_1" },
      { type: "tool-call", toolCallId: "call_1", toolName: "get", input: '{"a":1}' },
      { type: "finish", finishReason: "tool-calls", usage },
    ]);
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[8]).toMatchObject({ output_index: 1, item: { type: "function_call", call_id: "call_1", name: "get", arguments: "" } });
    expect(final!.output.map((o) => o.type)).toEqual(["message", "function_call"]);
    expect(final!.output[1]).toMatchObject({ arguments: '{"a":1}', status: "completed" });
    expect(final!.usage).toMatchObject({ input_tokens: 3, output_tokens: 2, total_tokens: 5 });
  });

  it("an error after output started closes the open item as incomplete and ends with response.failed", () => {
    const { types, events, final } = run([
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "Hel" },
      { type: "error", error: { code: "upstream_error", message: "The teacher went away." } },
    ]);
    expect(types.slice(-4)).toEqual(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.failed"]);
    expect(final).toMatchObject({ status: "failed", error: { code: "server_error", message: "The teacher went away." }, output: [{ status: "incomplete", content: [{ text: "Hel" }] }] });
    expect(events.at(-1)!["response"]).toBe(final);
  });

  it("with parallel_tool_calls false, only the first of several calls is sent", () => {
    const eventer = new ResponsesEventer(newResponseShell({ model: "m", parallel_tool_calls: false }));
    const parts: StreamPart[] = [
      { type: "tool-input-start", id: "a", toolName: "f" },
      { type: "tool-input-delta", id: "a", delta: "{}" },
      { type: "tool-input-end", id: "a" },
      { type: "tool-call", toolCallId: "a", toolName: "f", input: "{}" },
      { type: "tool-input-start", id: "b", toolName: "g" },
      { type: "tool-input-delta", id: "b", delta: "{}" },
      { type: "tool-call", toolCallId: "b", toolName: "g", input: "{}" },
      { type: "tool-call", toolCallId: "c", toolName: "h", input: "{}" },
      { type: "finish", finishReason: "tool-calls", usage },
    ];
    const events = parts.flatMap((p) => eventer.push(p));
    expect(events.filter((e) => e.type === "response.output_item.added")).toHaveLength(1);
    expect(eventer.final!.output).toEqual([expect.objectContaining({ type: "function_call", call_id: "a", name: "f" })]);
  });

  it("an empty text block adds no message item", () => {
    const { types, final } = run([
      { type: "text-start", id: "t" },
      { type: "text-end", id: "t" },
      { type: "tool-call", toolCallId: "c", toolName: "get", input: "{}" },
      { type: "finish", finishReason: "tool-calls", usage },
    ]);
    expect(types.filter((t) => t === "response.output_item.added")).toHaveLength(1);
    expect(final!.output.map((o) => o.type)).toEqual(["function_call"]);
  });

  it("a full queue mid-route reads as rate_limit_exceeded, which clients retry", () => {
    const { final } = run([{ type: "error", error: { code: "overloaded", message: "busy" } }]);
    expect(final!.error).toEqual({ code: "rate_limit_exceeded", message: "busy" });
  });

  it("a call sent whole still gets one delta; a client that left gets no closing event", () => {
    const { types, final } = run([
      { type: "tool-call", toolCallId: "c", toolName: "get", input: "{}" },
      { type: "finish", finishReason: "abort", usage },
    ]);
    expect(types).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done"]);
    expect(final!.status).toBe("cancelled");
  });
});
