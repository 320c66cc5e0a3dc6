import type { WrenError } from "../../shared/errors.js";

/**
 * Whether a failed request says the replica itself is unwell, so it counts toward ejecting it:
 * it could not be reached, timed out, answered 5xx (503 included), sent something unreadable or
 * cut its stream. A 429 is a busy replica, not a broken one; client errors and cancels say nothing
 * about the replica.
 */
export function countsAgainstReplica(error: WrenError): boolean {
  switch (error.code) {
    case "network_error":
    case "timeout":
    case "upstream_error":
      return true;
    case "overloaded":
      return error.status !== undefined && error.status >= 500;
    default:
      return false;
  }
}
