import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { finalError } from "./outcome.js";

/** The error a client sees when no target answered. */
describe("finalError", () => {
  const notFound = new WrenError("model_not_found", 'There is no model "nope" (wren looked in its store, Ollama, LM Studio and the catalog).', { hint: "`wren models list` shows the models here." });

  it("a target the client named itself (route direct) fails with its own error: there was no route of targets to sum up", () => {
    const error = finalError("direct", [{ target: "local:nope", outcome: "failed", detail: "model_not_found", ms: 3 }], notFound, undefined);
    expect(error.message).toBe(notFound.message);
    expect(error).toMatchObject({ code: "model_not_found", hint: notFound.hint });
    const teacher = new WrenError("upstream_error", "openai answered HTTP 500: boom", { hint: "openai failed; retry later or add a fallback target.", status: 500, isRetryable: true });
    const attempts = [
      { target: "openai:gpt", outcome: "retried" as const, detail: "upstream_error", status: 500, ms: 1 },
      { target: "openai:gpt", outcome: "failed" as const, detail: "upstream_error", status: 500, ms: 1 },
    ];
    expect(finalError("direct", attempts, teacher, undefined)).toMatchObject({ code: "upstream_error", message: "openai answered HTTP 500: boom", hint: teacher.hint, status: 500, isRetryable: true });
    // A teacher refusing wren's own key is still wren's setup failing, not the client's key.
    const refused = new WrenError("unauthorized", "openai answered HTTP 401: Incorrect API key provided", { status: 401 });
    expect(finalError("direct", [{ target: "openai:gpt", outcome: "failed", detail: "unauthorized", status: 401, ms: 1 }], refused, undefined)).toMatchObject({
      code: "upstream_error",
      status: 502,
      message: "openai answered HTTP 401: Incorrect API key provided",
    });
  });

  it("a route's targets are summed up, each with what it did", () => {
    const error = finalError("default", [{ target: "local:nope", outcome: "failed", detail: "model_not_found", ms: 3 }], notFound, undefined);
    expect(error.message).toBe(`Every target of route "default" failed (local:nope: model_not_found). Last: ${notFound.message}`);
  });
});
