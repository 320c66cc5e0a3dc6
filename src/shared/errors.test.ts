import { describe, expect, it } from "vitest";
import { exitCodeOf, httpStatusOf, serializeError, toWrenError, WrenError } from "./errors.js";

describe("WrenError", () => {
  it("reads as one line: what went wrong, then what to do", () => {
    expect(new WrenError("model_not_found", "No model at x.", { hint: "Check the path." }).toLine()).toBe("No model at x. Check the path.");
  });

  it("puts the hint on its own line after a list of problems", () => {
    const error = new WrenError("config_invalid", "Invalid configuration (2 problems):\n  a: bad\n  b: bad\n", { hint: "Fix the keys above." });
    expect(error.toLine()).toBe("Invalid configuration (2 problems):\n  a: bad\n  b: bad\nFix the keys above.");
  });

  it("maps codes to HTTP statuses and exit codes", () => {
    expect(httpStatusOf(new WrenError("overloaded", "busy"))).toBe(429);
    expect(httpStatusOf(new WrenError("internal", "x", { status: 418 }))).toBe(418);
    expect(exitCodeOf(new WrenError("config_invalid", "x"))).toBe(2);
    expect(exitCodeOf(new WrenError("aborted", "x"))).toBe(130);
  });

  it("wraps foreign errors and abort errors", () => {
    expect(toWrenError(new Error("boom"))).toMatchObject({ code: "internal", message: "boom" });
    expect(toWrenError(new DOMException("stop", "AbortError")).code).toBe("aborted");
    expect(serializeError(new WrenError("rate_limited", "slow down", { hint: "wait", isRetryable: true }))).toEqual({
      code: "rate_limited",
      message: "slow down",
      hint: "wait",
      isRetryable: true,
    });
  });

  it("classifies library failures the caller caused as client faults, whatever the dialect", () => {
    let overflow: unknown;
    try {
      let deep: unknown = [];
      for (let i = 0; i < 200_000; i++) deep = [deep];
      JSON.stringify(deep);
    } catch (error) {
      overflow = error;
    }
    expect(overflow).toBeInstanceOf(RangeError);
    expect(toWrenError(overflow)).toMatchObject({ code: "bad_request", message: "The request is nested too deeply to process.", hint: expect.stringMatching(/64 levels/) });
    const cases: Array<[string, string]> = [
      ["Maximum nesting scope exceeded. Ensure that your schema does not have circular references or excessive nesting.", "bad_request"],
      ['Function name "get weather" contains spaces, new lines or tabs', "bad_request"],
      ["Failed to compress chat history for context shift due to a too long prompt or system message", "context_overflow"],
      ["The context size is too small to generate a response for the given input", "context_overflow"],
      ["Input is longer than the usable context size. Try to increase the context size", "context_overflow"],
    ];
    for (const [message, code] of cases) {
      const error = toWrenError(new Error(message));
      expect(error.code, message).toBe(code);
      expect(httpStatusOf(error)).toBe(400);
      expect(error.hint).toBeTruthy();
      expect(error.cause).toBeInstanceOf(Error);
    }
    const reset = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    expect(toWrenError(reset).code).toBe("aborted");
    expect(toWrenError(new Error("aborted")).code).toBe("internal");
    expect(toWrenError(new Error("context size is fine, something else broke")).code).toBe("internal");
    expect(toWrenError(new RangeError("Invalid array length")).code).toBe("internal");
  });
});
