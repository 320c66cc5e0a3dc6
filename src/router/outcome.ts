import { connectionDetail } from "../providers/upstream-error.js";
import { WrenError } from "../shared/errors.js";
import type { Failure } from "./classify.js";
import type { AttemptRecord } from "./decisions.js";
import { ToolCallEscalation } from "./validated-local-stream.js";

/* How one attempt's failure turns into the router's next step and the client's error. */

export function statusOf(error: WrenError): { status?: number } {
  return error.status === undefined ? {} : { status: error.status };
}

/** The provenance reason for whoever answers after this failure. */
export function escalationReason(error: WrenError, failure: Failure | undefined): string {
  if (error instanceof ToolCallEscalation) return "tool-call";
  if (failure?.kind === "context") return "context";
  if (failure?.kind === "not-ready") return "loading";
  return "fallback";
}

/** Whether the innermost fallback's `onStatus` lets this failure move on to the next target. */
export function mayFallBack(failure: Failure, onStatus: number[] | undefined): boolean {
  if (!onStatus) return true;
  if (failure.kind === "timeout" || failure.kind === "connection" || failure.kind === "malformed") return true;
  return failure.status !== undefined && onStatus.includes(failure.status);
}

/** The error a client sees when a target fails after part of its answer went out. */
export function afterPartial(target: string, error: WrenError): WrenError {
  // The host was reached (part of the answer came from it): a connection failure now is a cut, not "could not reach".
  const message =
    error.code === "network_error"
      ? `${target} closed the connection mid-answer (${connectionDetail(error).trimEnd().replace(/\.+$/, "")}).`
      : `${target} failed after part of the answer was sent: ${sentence(error.message)}`;
  return new WrenError(error.code, message, {
    hint: "The answer above is incomplete and was not continued by another model; retry the request.",
    isRetryable: error.isRetryable,
    ...statusOf(error),
    details: { partial: true, target },
  });
}

/** `text` ending as a sentence does, so a hint after it reads as the next one. */
function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** How far a prompt is over a target's room (its context less the output asked for), in tokens. */
export interface PromptFit {
  promptTokens: number;
  maxPromptTokens: number;
}

/**
 * The error when no target answered: a refusal alone, or every attempt summarised. When every
 * target was skipped for its context, `overflow` (the target with the most room) gives the numbers.
 */
export function finalError(
  route: string,
  attempts: AttemptRecord[],
  last: WrenError | undefined,
  refusal: WrenError | undefined,
  overflow?: PromptFit,
): WrenError {
  if (!last && refusal) return refusal;
  const summary = attempts
    .filter((a) => a.outcome !== "retried")
    .map((a) => `${a.target}: ${a.outcome === "skipped" ? `skipped (${a.detail})` : `${a.detail ?? a.outcome}${a.status === undefined ? "" : ` (HTTP ${a.status})`}`}`)
    .join("; ");
  if (!last && attempts.length > 0 && attempts.every((a) => a.outcome === "skipped" && a.detail === "context")) {
    // No target can hold the prompt: the client's to shorten, not an outage to retry.
    return new WrenError("context_overflow", `The prompt is too long for every target of route "${route}" (${summary}).`, {
      hint: "Shorten the prompt or the output asked for, use a larger context (num_ctx or x-wren-context-length per request, `wren serve --context N` for every request), or add a target with a longer context to the route.",
      ...(overflow ? { details: { ...overflow } } : {}),
    });
  }
  if (!last) {
    return new WrenError("not_ready", `No target of route "${route}" could take the request${summary ? ` (${summary})` : ""}.`, {
      hint: "Check the route's targets in config and `wren router log`, or add a fallback target.",
      isRetryable: true,
    });
  }
  // A target the client named itself (route `direct`) is the only one tried: its own words say what
  // failed, and a summary of one target would bury them (`wren router log` keeps each attempt).
  const message = route === "direct" ? last.message : `Every target of route "${route}" failed (${summary}). Last: ${last.message}`;
  if (last.code === "unauthorized" || last.code === "forbidden") {
    // A target that refused wren's own credentials (a teacher's API key wrong or missing) is wren's
    // setup failing its client: a 401 or 403 would tell the client that its own key to wren is wrong.
    return new WrenError("upstream_error", message, { hint: last.hint ?? "Check the API keys configured for the route's targets.", status: 502 });
  }
  if ((last.code === "model_not_found" || last.code === "bad_request") && last.status !== undefined && route !== "direct") {
    // The route (wren's config) chose the teacher that answered 404 or 400, not the client: its
    // own not-found or bad request would blame the client's model name or request for it.
    const target = attempts.findLast((a) => a.outcome === "failed")?.target ?? "its target";
    return new WrenError("upstream_error", message, {
      hint: `${target}, which route "${route}" chose, refused the request (HTTP ${last.status}): check its model id and settings in the router config, or add a fallback target.`,
      status: 502,
    });
  }
  return new WrenError(last.code, message, {
    hint: last.hint ?? "See `wren router log` for each attempt, or add a fallback target.",
    isRetryable: last.isRetryable,
    ...statusOf(last),
    ...(last.retryAfter === undefined ? {} : { retryAfter: last.retryAfter }),
  });
}
