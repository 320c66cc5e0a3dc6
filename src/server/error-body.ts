import type { SerializedError, WrenError } from "../shared/errors.js";
import { deserializeError, httpStatusOf } from "../shared/errors.js";
import { geminiErrorBody } from "./codecs/gemini-error.js";
import type { Dialect } from "./dialect.js";
import { promptTooLongAdvice, promptTooLongOf } from "./prompt-too-long.js";
import { provenanceHeaders, provenanceOfError } from "./provenance.js";

/** The JSON body one error gets in one dialect, and its HTTP status and extra headers. */
export interface ErrorResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function openaiType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return status === 503 ? "service_unavailable_error" : "server_error";
  return "invalid_request_error";
}

function anthropicType(status: number): string {
  switch (status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** Which of OpenAI's APIs: the Responses API calls a request's messages its `input`. */
export type OpenAIApi = "chat" | "responses";

/** One line for a client: what went wrong, then what to do. */
function text(error: WrenError): string {
  return error.toLine();
}

/**
 * A prompt too long for the context, in each dialect's own words, which clients recognise (Claude
 * Code reads Anthropic's numbers to know how much to compact), then wren's advice.
 */
function promptTooLongText(error: WrenError, dialect: Dialect, input: boolean): string {
  const n = promptTooLongOf(error);
  const advice = promptTooLongAdvice(error);
  switch (dialect) {
    case "anthropic":
      return n ? `prompt is too long: ${n.promptTokens} tokens > ${n.maxPromptTokens} maximum. ${advice}` : `prompt is too long: ${advice}`;
    case "ollama":
      return n ? `the input length exceeds the context length (${n.promptTokens} tokens > ${n.maxPromptTokens}). ${advice}` : `the input length exceeds the context length: ${advice}`;
    default:
      return n
        ? `This model's maximum context length is ${n.maxPromptTokens} tokens. However, your ${input ? "input" : "messages"} resulted in ${n.promptTokens} tokens. ${advice}`
        : advice;
  }
}

/**
 * The error body of one dialect (OpenAI `{error:{message,type,param,code}}`, Anthropic
 * `{type:"error",error:{type,message}}`, Ollama `{error}`), typed from the error's HTTP status; a
 * prompt too long for the context (`context_overflow`) in the dialect's own words (OpenAI's
 * `context_length_exceeded`, Anthropic's "prompt is too long: N tokens > M maximum"). The
 * same body is an error response, and an error event inside a stream that had already started, so
 * a client's library raises the same typed error either way.
 */
export function errorBody(error: WrenError, dialect: Dialect, api?: OpenAIApi): Record<string, unknown> {
  const input = api === "responses";
  const status = httpStatusOf(error);
  const tooLong = error.code === "context_overflow";
  switch (dialect) {
    case "anthropic":
      return { type: "error", error: { type: anthropicType(status), message: tooLong ? promptTooLongText(error, dialect, input) : text(error) } };
    case "ollama":
      return { error: tooLong ? promptTooLongText(error, dialect, input) : text(error) };
    case "gemini":
      return { ...geminiErrorBody(error, status) };
    default: {
      const param = typeof error.details?.["param"] === "string" ? error.details["param"] : null;
      if (tooLong) return { error: { message: promptTooLongText(error, dialect, input), type: "invalid_request_error", param: param ?? (input ? "input" : "messages"), code: "context_length_exceeded" } };
      return { error: { message: text(error), type: openaiType(status), param, code: error.code } };
    }
  }
}

/** The same body for an error that arrived as a stream's `error` part. */
export function errorPartBody(error: SerializedError, dialect: Dialect): Record<string, unknown> {
  return errorBody(deserializeError(error), dialect);
}

/** Maps a WrenError to the status, error body and headers of the dialect the client speaks. */
export function errorResponse(error: WrenError, dialect: Dialect, api?: OpenAIApi): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfter)));
  // A refusal or a failed target still says which target, route and reason it was about.
  const provenance = provenanceOfError(error);
  if (provenance) Object.assign(headers, provenanceHeaders(provenance));
  return { status: httpStatusOf(error), headers, body: errorBody(error, dialect, api) };
}
