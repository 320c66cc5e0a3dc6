import type { StreamFormat } from "./valid-requests.js";

/** What a streamed body said: whether it ended the way its dialect ends, and any error events. */
export interface StreamVerdict {
  complete: boolean;
  errors: string[];
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Reads an SSE or NDJSON body as the dialect frames it. */
export function checkStream(format: StreamFormat, body: string): StreamVerdict {
  const errors: string[] = [];
  let complete = false;
  if (format === "ollama-ndjson") {
    for (const line of body.split("\n")) {
      if (!line.trim()) continue;
      const json = parse(line);
      if (!isObject(json)) errors.push(`not JSON: ${line.slice(0, 200)}`);
      else if ("error" in json) errors.push(line.slice(0, 400));
      else if (json.done === true) complete = true;
    }
    return { complete, errors };
  }
  for (const event of body.split("\n\n")) {
    if (!event.trim()) continue;
    const name = /^event: (.*)$/m.exec(event)?.[1];
    const data = /^data: (.*)$/m.exec(event)?.[1];
    if (data === "[DONE]") complete = true;
    const json = data === undefined ? undefined : parse(data);
    if (name === "error" || (isObject(json) && ("error" in json || json.type === "error"))) errors.push(event.slice(0, 400));
    if (format === "anthropic-sse" && name === "message_stop") complete = true;
  }
  return { complete, errors };
}
