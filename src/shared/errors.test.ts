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
});
