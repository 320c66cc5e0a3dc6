import { randomUUID } from "node:crypto";
import type { Token } from "node-llama-cpp";
import type { StreamPart } from "../protocol/stream.js";

/** Tracks tokens and the first-token time, and streams text as one text block. */
export class Emitter {
  outputTokens = 0;
  firstTokenAt: number | undefined;
  #textOpen = false;
  readonly #textId = "text-0";
  readonly #push: (part: StreamPart) => void;

  constructor(push: (part: StreamPart) => void) {
    this.#push = push;
  }

  onToken = (tokens: Token[]): void => {
    if (this.firstTokenAt === undefined) this.firstTokenAt = performance.now();
    this.outputTokens += tokens.length;
  };

  onText = (text: string): void => {
    if (text.length === 0) return;
    if (!this.#textOpen) {
      this.#textOpen = true;
      this.#push({ type: "text-start", id: this.#textId });
    }
    this.#push({ type: "text-delta", id: this.#textId, delta: text });
  };

  closeText(): void {
    if (this.#textOpen) {
      this.#textOpen = false;
      this.#push({ type: "text-end", id: this.#textId });
    }
  }

  toolCall(toolName: string, input: string): void {
    const id = `call_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
    this.#push({ type: "tool-input-start", id, toolName });
    this.#push({ type: "tool-input-delta", id, delta: input });
    this.#push({ type: "tool-input-end", id });
    this.#push({ type: "tool-call", toolCallId: id, toolName, input });
  }
}
