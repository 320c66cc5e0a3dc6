import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { reportError, type ReportErrorOptions } from "./report-error.js";

function printed(error: unknown, options?: ReportErrorOptions): { text: string; code: number } {
  const stderr = new PassThrough();
  const code = reportError(error, stderr, options);
  stderr.end();
  return { text: String(stderr.read() ?? ""), code };
}

describe("reportError", () => {
  const failed = new WrenError("upstream_error", "openai answered HTTP 500: boom", { hint: "openai failed; retry later or add a fallback target." });

  it("prints message and hint on one line by default, and returns the error's exit code", () => {
    expect(printed(failed)).toEqual({ text: "wren: openai answered HTTP 500: boom openai failed; retry later or add a fallback target.\n", code: 4 });
  });

  it("with hintBelow, puts the hint on a line of its own, indented (a hint of several lines stays indented)", () => {
    expect(printed(failed, { hintBelow: true }).text).toBe("wren: openai answered HTTP 500: boom\n  openai failed; retry later or add a fallback target.\n");
    const long = new WrenError("bad_request", "Two problems:\n- a\n- b\n", { hint: "Fix a.\nThen b." });
    expect(printed(long, { hintBelow: true }).text).toBe("wren: Two problems:\n- a\n- b\n  Fix a.\n  Then b.\n");
    expect(printed(new WrenError("internal", "No hint."), { hintBelow: true }).text).toBe("wren: No hint.\n");
  });
});

describe("reportError and untrusted text", () => {
  it("an error quoting what a client, a server or a model sent cannot drive the terminal", () => {
    const quoted = new WrenError("upstream_error", "upstream said: \x1b]52;c;cm0gLXJm\x07\x1b[2J\x9b1A nope\r", { hint: "retry \x1b]0;t\x07later" });
    for (const options of [{}, { hintBelow: true }]) {
      const { text } = printed(quoted, options);
      expect(text).not.toMatch(/[^\P{Cc}\n\t]/u);
      expect(text).toContain("upstream said:  nope");
      expect(text).toContain("retry later");
    }
  });
});
