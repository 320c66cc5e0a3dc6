import { describe, expect, it } from "vitest";
import { mapAnthropicStopReason } from "./anthropic/map-finish-reason.js";
import { mapGeminiFinishReason } from "./gemini/map-finish-reason.js";
import { mapOllamaDoneReason } from "./ollama/map-finish-reason.js";
import { mapOpenAIFinishReason } from "./openai-compatible/map-finish-reason.js";
import { parseRetryAfter } from "../shared/retry-after.js";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
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

  it("say 'could not reach' only of a connection that failed, not of an SDK that failed on its own", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const unreachable: unknown[] = [
      new TypeError("fetch failed", { cause: refused }),
      new Anthropic.APIConnectionError({ cause: new TypeError("fetch failed", { cause: refused }) }),
      new OpenAI.APIConnectionTimeoutError(),
      new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }),
    ];
    for (const raw of unreachable) {
      const error = fromSdkError("anthropic", raw);
      expect([error.code, error.message]).toEqual(["network_error", expect.stringMatching(/^Could not reach anthropic: /)]);
    }
    const reached: Array<[string, unknown]> = [
      ["anthropic", new Anthropic.AnthropicError("Streaming is required for operations that may take longer than 10 minutes.")],
      ["openai", new OpenAI.OpenAIError("Cannot read properties of undefined (reading 'choices')")],
      ["gemini", new Error("Incomplete JSON segment at the end")],
    ];
    for (const [provider, raw] of reached) {
      const error = fromSdkError(provider, raw);
      expect(error.message, String(raw)).not.toMatch(/Could not reach/);
      expect(error.message).toContain((raw as Error).message);
      expect(error.code).not.toBe("network_error");
      expect(error.hint).not.toMatch(/reachable/);
    }
  });
});
