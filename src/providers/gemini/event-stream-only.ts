import { malformedResponse } from "../upstream-error.js";

/**
 * A streamed call's response check: a 200 that is not an event stream (a JSON body, an HTML page)
 * fails here as a malformed response. The SDK would read it as events and fail with a plain
 * "Incomplete JSON segment at the end", which reads as a connection failure although the host
 * answered.
 */
export function eventStreamOnly(provider: string): (response: Response) => Response {
  return (response) => {
    if (!response.ok) return response;
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("text/event-stream")) return response;
    void response.body?.cancel().catch(() => undefined);
    throw malformedResponse(provider, `a streamed answer came as ${type ? `\`${type}\`` : "no content type"}, not an event stream.`);
  };
}
