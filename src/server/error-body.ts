import type { WrenError } from "../shared/errors.js";
import { httpStatusOf } from "../shared/errors.js";
import type { Dialect } from "./dialect.js";
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

/** One line for a client: what went wrong, then what to do. */
function text(error: WrenError): string {
  return error.toLine();
}

/**
 * Maps a WrenError to the status and error body of the dialect the client speaks, so every client
 * library raises its own typed error (OpenAI `{error:{message,type,param,code}}`, Anthropic
 * `{type:"error",error:{type,message}}`, Ollama `{error}`).
 */
export function errorResponse(error: WrenError, dialect: Dialect): ErrorResponse {
  const status = httpStatusOf(error);
  const headers: Record<string, string> = {};
  if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfter)));
  // A refusal or a failed target still says which target, route and reason it was about.
  const provenance = provenanceOfError(error);
  if (provenance) Object.assign(headers, provenanceHeaders(provenance));
  const param = typeof error.details?.["param"] === "string" ? error.details["param"] : null;
  switch (dialect) {
    case "anthropic":
      return { status, headers, body: { type: "error", error: { type: anthropicType(status), message: text(error) } } };
    case "ollama":
      return { status, headers, body: { error: text(error) } };
    default:
      return {
        status,
        headers,
        body: { error: { message: text(error), type: openaiType(status), param, code: error.code } },
      };
  }
}
