import { describe, expect, it } from "vitest";
import { WrenError, type ErrorCode } from "../../shared/errors.js";
import { errorResponse } from "../error-body.js";

const expected: Record<ErrorCode, [number, string]> = {
  bad_request: [400, "INVALID_ARGUMENT"],
  config_invalid: [400, "INVALID_ARGUMENT"],
  model_not_found: [404, "NOT_FOUND"],
  model_invalid: [400, "INVALID_ARGUMENT"],
  model_load_failed: [500, "INTERNAL"],
  model_too_large: [507, "RESOURCE_EXHAUSTED"],
  context_overflow: [400, "INVALID_ARGUMENT"],
  unsupported: [400, "INVALID_ARGUMENT"],
  unauthorized: [401, "UNAUTHENTICATED"],
  forbidden: [403, "PERMISSION_DENIED"],
  payload_too_large: [413, "INVALID_ARGUMENT"],
  rate_limited: [429, "RESOURCE_EXHAUSTED"],
  overloaded: [429, "RESOURCE_EXHAUSTED"],
  not_ready: [503, "UNAVAILABLE"],
  timeout: [504, "DEADLINE_EXCEEDED"],
  aborted: [499, "CANCELLED"],
  upstream_error: [502, "UNAVAILABLE"],
  network_error: [502, "UNAVAILABLE"],
  checksum_mismatch: [502, "UNAVAILABLE"],
  download_failed: [502, "UNAVAILABLE"],
  not_found: [404, "NOT_FOUND"],
  method_not_allowed: [405, "UNIMPLEMENTED"],
  internal: [500, "INTERNAL"],
};

describe("Gemini error bodies", () => {
  it("give every wren error code Google's {error:{code,message,status,details}} with the HTTP status as code", () => {
    for (const [code, [status, name]] of Object.entries(expected) as Array<[ErrorCode, [number, string]]>) {
      const response = errorResponse(new WrenError(code, "What went wrong.", { hint: "What to do." }), "gemini");
      expect(response.status, code).toBe(status);
      expect(response.body, code).toEqual({
        error: {
          code: status,
          message: "What went wrong. What to do.",
          status: name,
          details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: code.toUpperCase(), domain: "wren", metadata: { code } }],
        },
      });
    }
  });

  it("say how long to wait when a retry can help later, and keep an upstream's own status", () => {
    const busy = errorResponse(new WrenError("overloaded", "Queue full.", { retryAfter: 2.5 }), "gemini");
    expect(busy.headers["retry-after"]).toBe("3");
    expect((busy.body as { error: { details: unknown[] } }).error.details).toContainEqual({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "3s" });
    const upstream = errorResponse(new WrenError("upstream_error", "The teacher failed.", { status: 500 }), "gemini");
    expect(upstream.body).toMatchObject({ error: { code: 500, status: "INTERNAL" } });
  });

  it("word a prompt too long as Google does, with the numbers the error carries, then what to do", () => {
    const error = new WrenError("context_overflow", "The prompt is 900 tokens, more than the 512-token context can hold.", {
      hint: "Shorten it.",
      details: { contextSize: 512, promptTokens: 900, maxPromptTokens: 500 },
    });
    expect(errorResponse(error, "gemini").body).toMatchObject({
      error: { code: 400, status: "INVALID_ARGUMENT", message: "The input token count (900) exceeds the maximum number of tokens allowed (500). Shorten it." },
    });
    const bare = new WrenError("context_overflow", "The prompt is too long for every target.", { hint: "Shorten it." });
    expect(errorResponse(bare, "gemini").body).toMatchObject({ error: { status: "INVALID_ARGUMENT", message: "The prompt is too long for every target. Shorten it." } });
  });
});
