import { WrenError } from "../../shared/errors.js";
import { firstLine } from "../upstream-error.js";

/**
 * A streamed answer's check. The `ollama` client skips NDJSON lines it cannot parse (with a console
 * warning), which would silently drop part of an answer, and fails a stream that ends without a
 * `done` line with a plain Error that reads as a connection failure. This passes the body through
 * unchanged but fails it with a SyntaxError (a malformed response) at the first line that is not
 * JSON, or at its end when no line said `done`: whatever its content type, a JSON body or an HTML
 * page included. A line `{"error": …}` (Ollama's way to fail an answer that has started) fails it
 * with that error, which the client would raise as a plain Error, read as a connection failure.
 */
export function strictNdjson(response: Response): Response {
  if (!response.ok || !response.body) return response;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  let done = false;
  const check = (line: string) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new SyntaxError(`Ollama sent a line that is not JSON: ${line.slice(0, 120)}`);
    }
    const reported = parsed && typeof parsed === "object" ? (parsed as { error?: unknown }).error : undefined;
    if (typeof reported === "string") throw midStreamError(reported);
    if (parsed && typeof parsed === "object" && ((parsed as { done?: unknown }).done === true || (parsed as { status?: unknown }).status === "success")) done = true;
  };
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          check(line);
          // A blank line (a keep-alive) carries nothing, and the client would warn on the console about it.
          if (line.trim() !== "") controller.enqueue(encoder.encode(`${line}\n`));
        }
      },
      flush(controller) {
        const rest = pending + decoder.decode();
        check(rest);
        if (!done) throw new SyntaxError("the stream ended without a line that says `done`.");
        if (rest.trim() !== "") controller.enqueue(encoder.encode(rest));
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** An error Ollama reported inside a streamed answer: the server was reached, and failed while answering. */
function midStreamError(message: string): WrenError {
  return new WrenError("upstream_error", `ollama reported an error mid-stream: ${firstLine(message)}`, {
    hint: "ollama failed while answering; retry later or add a fallback target.",
    isRetryable: true,
  });
}
