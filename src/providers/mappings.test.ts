import { describe, expect, it } from "vitest";
import { mapAnthropicStopReason } from "./anthropic/map-finish-reason.js";
import { mapGeminiFinishReason } from "./gemini/map-finish-reason.js";
import { mapOllamaDoneReason } from "./ollama/map-finish-reason.js";
import { mapOpenAIFinishReason } from "./openai-compatible/map-finish-reason.js";
import { parseRetryAfter } from "../shared/retry-after.js";
import { fromSdkError } from "./upstream-error.js";

describe("finish reasons", () => {
  it("map every provider's reasons to the canonical ones", () => {
    expect(["stop", "length", "tool_calls", "content_filter", "function_call", null].map(mapOpenAIFinishReason)).toEqual([
      "stop",
      "length",
      "tool-calls",
      "content-filter",
      "tool-calls",
      "other",
    ]);
    expect(["end_turn", "stop_sequence", "max_tokens", "tool_use", "refusal", "model_context_window_exceeded"].map(mapAnthropicStopReason)).toEqual([
      "stop",
      "stop",
      "length",
      "tool-calls",
      "content-filter",
      "length",
    ]);
    expect(mapGeminiFinishReason("STOP", false)).toBe("stop");
    expect(mapGeminiFinishReason("STOP", true)).toBe("tool-calls");
    expect(mapGeminiFinishReason("MAX_TOKENS", false)).toBe("length");
    expect(mapGeminiFinishReason("SAFETY", false)).toBe("content-filter");
    expect(mapGeminiFinishReason("MALFORMED_FUNCTION_CALL", false)).toBe("error");
    expect(mapOllamaDoneReason("stop", false)).toBe("stop");
    expect(mapOllamaDoneReason("stop", true)).toBe("tool-calls");
    expect(mapOllamaDoneReason("length", false)).toBe("length");
  });
});

describe("upstream errors", () => {
  it("parse retry-after as seconds or an HTTP date", () => {
    expect(parseRetryAfter("7")).toBe(7);
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("classify statuses, connection failures and malformed data, with a hint each", () => {
    const cases: Array<[unknown, string, boolean]> = [
      [{ status: 401, message: "bad key" }, "unauthorized", false],
      [{ status: 404, message: "no model" }, "model_not_found", false],
      [{ status: 400, message: "bad" }, "bad_request", false],
      [{ status: 429, message: "slow", headers: new Headers({ "retry-after": "2" }) }, "rate_limited", true],
      [{ status: 529, message: "overloaded" }, "overloaded", true],
      [{ status: 503, message: "down" }, "overloaded", true],
      [{ status: 502, message: "gateway" }, "upstream_error", true],
      [{ status_code: 500, error: "ollama broke", message: "ollama broke" }, "upstream_error", true],
      [new TypeError("fetch failed"), "network_error", true],
      [new SyntaxError("Unexpected end of JSON input"), "upstream_error", true],
    ];
    for (const [raw, code, retryable] of cases) {
      const error = fromSdkError("openai", raw);
      expect(error.code, JSON.stringify(raw)).toBe(code);
      expect(error.isRetryable).toBe(retryable);
      expect(error.hint).toBeTruthy();
    }
    expect(fromSdkError("openai", { status: 429, message: "x", headers: new Headers({ "retry-after": "2" }) }).retryAfter).toBe(2);
    expect(fromSdkError("gemini", { status: 429, message: "x" }, "5").retryAfter).toBe(5);
    const abort = new Error("aborted");
    abort.name = "AbortError";
    expect(fromSdkError("openai", abort).code).toBe("aborted");
  });
});
