import type { StreamPart } from "../protocol/index.js";

/**
 * Tracks the open text block and the tool calls being assembled while translating an upstream
 * stream, so every provider emits well-formed blocks: `text-start … text-end`, then
 * `tool-input-start … tool-input-end` and a complete `tool-call` for each call.
 */
export class StreamState {
  private textId: string | undefined;
  private textCount = 0;
  /** Each call by its key (see {@link toolStart}). */
  private readonly tools = new Map<string, { id: string; name: string; input: string; closed: boolean }>();

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

  /**
   * Opens a tool call's blocks. `key` tells calls apart (default: the call's id); a server that
   * repeats an id (Ollama's OpenAI API numbers calls `call_0` in every answer, llama-server may send
   * one id twice) gets a key per call from its provider. Blocks keep the id the server sent, so an
   * open call with the same id is ended first: blocks with one id never overlap.
   */
  *toolStart(id: string, toolName: string, key = id): Generator<StreamPart> {
    yield* this.closeText();
    if (this.tools.has(key)) return;
    for (const [other, tool] of this.tools) if (tool.id === id && !tool.closed) yield* this.toolEnd(other);
    this.tools.set(key, { id, name: toolName, input: "", closed: false });
    yield { type: "tool-input-start", id, toolName };
  }

  *toolDelta(key: string, delta: string): Generator<StreamPart> {
    const tool = this.tools.get(key);
    if (!tool || tool.closed || !delta) return;
    tool.input += delta;
    yield { type: "tool-input-delta", id: tool.id, delta };
  }

  *toolEnd(key: string): Generator<StreamPart> {
    const tool = this.tools.get(key);
    if (!tool || tool.closed) return;
    tool.closed = true;
    yield { type: "tool-input-end", id: tool.id };
    yield { type: "tool-call", toolCallId: tool.id, toolName: tool.name, input: tool.input || "{}" };
  }

  /** A tool call that arrives whole (Gemini, Ollama): a call of its own even where its id repeats an earlier one's. */
  *toolWhole(id: string, toolName: string, input: string): Generator<StreamPart> {
    const key = `whole:${this.tools.size}`;
    yield* this.toolStart(id, toolName, key);
    yield* this.toolDelta(key, input);
    yield* this.toolEnd(key);
  }

  /** Closes whatever is open, before the finish. */
  *closeAll(): Generator<StreamPart> {
    yield* this.closeText();
    for (const key of this.tools.keys()) yield* this.toolEnd(key);
  }

  get sawToolCall(): boolean {
    return this.tools.size > 0;
  }
}
