import type { FinishReason } from "../../protocol/index.js";

/** Ollama `done_reason` → canonical; Ollama says `stop` even when it called tools. */
export function mapOllamaDoneReason(reason: string | null | undefined, sawToolCall: boolean): FinishReason {
  if (sawToolCall) return "tool-calls";
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    default:
      return "other";
  }
}
