import type { StreamPart } from "../protocol/index.js";

/**
 * Tracks the open text block and the tool calls being assembled while translating an upstream
 * stream, so every provider emits well-formed blocks: `text-start … text-end`, then
 * `tool-input-start … tool-input-end` and a complete `tool-call` for each call.
 */
export class StreamState {
  private textId: string | undefined;
  private textCount = 0;
  private readonly tools = new Map<string, { name: string; input: string; closed: boolean }>();

  *text(delta: string): Generator<StreamPart> {
    if (!delta) return;
    if (this.textId === undefined) {
      this.textId = `text-${this.textCount++}`;
      yield { type: "text-start", id: this.textId };
    }
    yield { type: "text-delta", id: this.textId, delta };
  }

  *closeText(): Generator<StreamPart> {
    if (this.textId === undefined) return;
    yield { type: "text-end", id: this.textId };
    this.textId = undefined;
  }

  *toolStart(id: string, toolName: string): Generator<StreamPart> {
    yield* this.closeText();
    if (this.tools.has(id)) return;
    this.tools.set(id, { name: toolName, input: "", closed: false });
    yield { type: "tool-input-start", id, toolName };
  }

  *toolDelta(id: string, delta: string): Generator<StreamPart> {
    const tool = this.tools.get(id);
    if (!tool || !delta) return;
    tool.input += delta;
    yield { type: "tool-input-delta", id, delta };
  }

  *toolEnd(id: string): Generator<StreamPart> {
    const tool = this.tools.get(id);
    if (!tool || tool.closed) return;
    tool.closed = true;
    yield { type: "tool-input-end", id };
    yield { type: "tool-call", toolCallId: id, toolName: tool.name, input: tool.input || "{}" };
  }

  /** A tool call that arrives whole (Gemini, Ollama). */
  *toolWhole(id: string, toolName: string, input: string): Generator<StreamPart> {
    yield* this.toolStart(id, toolName);
    yield* this.toolDelta(id, input);
    yield* this.toolEnd(id);
  }

  /** Closes whatever is open, before the finish. */
  *closeAll(): Generator<StreamPart> {
    yield* this.closeText();
    for (const id of this.tools.keys()) yield* this.toolEnd(id);
  }

  get sawToolCall(): boolean {
    return this.tools.size > 0;
  }
}
