import type { FinishReason } from "../../protocol/index.js";

/** Gemini `finishReason` → canonical; `STOP` after a function call means the model wants tools run. */
export function mapGeminiFinishReason(reason: string | null | undefined, sawToolCall: boolean): FinishReason {
  switch (reason) {
    case "STOP":
      return sawToolCall ? "tool-calls" : "stop";
    case "MAX_TOKENS":
      return "length";
    case "SAFETY":
    case "RECITATION":
    case "BLOCKLIST":
    case "PROHIBITED_CONTENT":
    case "SPII":
    case "IMAGE_SAFETY":
    case "IMAGE_PROHIBITED_CONTENT":
      return "content-filter";
    case "MALFORMED_FUNCTION_CALL":
    case "UNEXPECTED_TOOL_CALL":
      return "error";
    case undefined:
    case null:
      return sawToolCall ? "tool-calls" : "other";
    default:
      return "other";
  }
}
