/** One parsed server-sent event. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Parses a whole SSE body into events. */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of body.split("\n\n")) {
    if (!block.trim()) continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    events.push({ ...(event ? { event } : {}), data: data.join("\n") });
  }
  return events;
}

/** Untyped JSON from a response under test; the assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by assertions, not types
export type Json = any;

/** A Response whose json() is typed for assertions. */
export interface JsonResponse extends Response {
  json(): Promise<Json>;
}
