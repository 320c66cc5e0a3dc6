/**
 * The `ollama` client skips NDJSON lines it cannot parse (with a console warning), which would
 * silently drop part of an answer. This passes a streamed body through unchanged but fails it with
 * a SyntaxError at the first line that is not JSON, so the router sees the fault.
 */
export function strictNdjson(response: Response): Response {
  if (!response.ok || !response.body || !(response.headers.get("content-type") ?? "").includes("ndjson")) return response;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  const check = (line: string) => {
    if (line.trim() === "") return;
    try {
      JSON.parse(line);
    } catch {
      throw new SyntaxError(`Ollama sent a line that is not JSON: ${line.slice(0, 120)}`);
    }
  };
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          check(line);
          controller.enqueue(encoder.encode(`${line}\n`));
        }
      },
      flush(controller) {
        const rest = pending + decoder.decode();
        check(rest);
        if (rest) controller.enqueue(encoder.encode(rest));
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
