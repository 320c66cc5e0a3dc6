import { describe, expect, it } from "vitest";
import type { StreamPart } from "../../protocol/index.js";
import { BlockSequencer } from "./block-sequencer.js";

const finish: StreamPart = { type: "finish", finishReason: "tool-calls", usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } };

function run(parts: StreamPart[]): StreamPart[] {
  const sequencer = new BlockSequencer();
  return parts.flatMap((p) => sequencer.push(p));
}

/** How many times each block was ended (`text-end` or `tool-input-end`). */
function endsPerBlock(parts: StreamPart[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of parts) if (p.type === "text-end" || p.type === "tool-input-end") counts[p.id] = (counts[p.id] ?? 0) + 1;
  return counts;
}

/** The block of each part, in order, with runs of one block folded: blocks never overlap when no id comes back. */
function blockOrder(parts: StreamPart[]): string[] {
  const order: string[] = [];
  for (const p of parts) {
    const id = "id" in p ? p.id : p.type === "tool-call" ? p.toolCallId : undefined;
    if (id !== undefined && order.at(-1) !== id) order.push(id);
  }
  return order;
}

describe("BlockSequencer", () => {
  it("holds a block that starts while another is open, and releases it when that one ends", () => {
    const out = run([
      { type: "tool-input-start", id: "a", toolName: "f" },
      { type: "tool-input-start", id: "b", toolName: "g" },
      { type: "tool-input-delta", id: "b", delta: "{}" },
      { type: "tool-input-delta", id: "a", delta: "{}" },
      { type: "tool-input-end", id: "a" },
      { type: "tool-call", toolCallId: "a", toolName: "f", input: "{}" },
      { type: "tool-input-end", id: "b" },
      { type: "tool-call", toolCallId: "b", toolName: "g", input: "{}" },
      finish,
    ]);
    expect(blockOrder(out)).toEqual(["a", "b"]);
    expect(endsPerBlock(out)).toEqual({ a: 1, b: 1 });
  });

  it("ends each block once at the finish when a call's input ended but its complete call never came", () => {
    // `a` ends its input, `b` starts before `a`'s tool-call, and neither tool-call comes (the
    // output bound cut the answer): the finish releases `b` after `a`, whose end already went out.
    const out = run([
      { type: "tool-input-start", id: "a", toolName: "f" },
      { type: "tool-input-delta", id: "a", delta: '{"x":1}' },
      { type: "tool-input-end", id: "a" },
      { type: "tool-input-start", id: "b", toolName: "g" },
      { type: "tool-input-delta", id: "b", delta: "{}" },
      { type: "tool-input-end", id: "b" },
      { type: "text-start", id: "c" },
      { type: "text-delta", id: "c", delta: "late" },
      finish,
    ]);
    expect(endsPerBlock(out)).toEqual({ a: 1, b: 1 });
    expect(blockOrder(out)).toEqual(["a", "b", "c"]);
    expect(out.at(-1)).toEqual(finish);
  });

  it("passes parts through once the finish released every block, holding none back", () => {
    const sequencer = new BlockSequencer();
    const error: StreamPart = { type: "error", error: { code: "internal", message: "cut short" } };
    const parts: StreamPart[] = [
      { type: "text-start", id: "a" },
      { type: "tool-input-start", id: "b", toolName: "g" },
      error,
      { type: "text-delta", id: "a", delta: "late" },
      { type: "text-start", id: "z" },
    ];
    const out = parts.flatMap((p) => sequencer.push(p));
    expect(out.map((p) => p.type)).toEqual(["text-start", "text-end", "tool-input-start", "error", "text-delta", "text-start"]);
  });
});
