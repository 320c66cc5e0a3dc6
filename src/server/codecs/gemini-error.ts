import type { WrenError } from "../../shared/errors.js";
import type { GeminiErrorBody } from "../../wire/gemini/index.js";
import { promptTooLongAdvice, promptTooLongOf } from "../prompt-too-long.js";

/** `google.rpc.Code` names by HTTP status, as Google's APIs pair them. */
function statusName(status: number): string {
  switch (status) {
    case 400:
    case 413:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ABORTED";
    case 429:
    case 507:
      return "RESOURCE_EXHAUSTED";
    case 499:
      return "CANCELLED";
    case 405:
    case 501:
      // "Not implemented or not supported": a method the path does not take.
      return "UNIMPLEMENTED";
    case 502:
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
  }
}

/** A prompt too long says its numbers the way Google words them, then what to do. */
function message(error: WrenError): string {
  const n = promptTooLongOf(error);
  if (!n) return error.toLine();
  return `The input token count (${n.promptTokens}) exceeds the maximum number of tokens allowed (${n.maxPromptTokens}). ${promptTooLongAdvice(error)}`;
}

/**
 * Google's error body: `{"error":{"code","message","status","details"}}`, with the HTTP status as
 * `code` and its `google.rpc.Code` name as `status`, so `@google/genai` raises an `ApiError` with
 * that status. The details carry wren's stable code (`ErrorInfo.reason`) and, when a retry can
 * help later, the wait (`RetryInfo.retryDelay`), which Gemini CLI honours.
 */
export function geminiErrorBody(error: WrenError, status: number): GeminiErrorBody {
  const details: Array<Record<string, unknown>> = [
    { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: error.code.toUpperCase(), domain: "wren", metadata: { code: error.code } },
  ];
  if (error.retryAfter !== undefined) {
    details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${Math.max(1, Math.ceil(error.retryAfter))}s` });
  }
  return { error: { code: status, message: message(error), status: statusName(status), details } };
}
