import { setImmediate as nextTurn } from "node:timers/promises";
import type { Context } from "hono";
import type { z } from "zod";
import { WrenError } from "../shared/errors.js";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../shared/json-depth.js";

function describeIssue(issue: z.core.$ZodIssue): { text: string; param: string } {
  const param = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return { text: `Unrecognized request argument supplied: ${issue.keys.join(", ")}.`, param: issue.keys[0] ?? param };
  }
  return { text: param ? `Invalid value for '${param}': ${issue.message}.` : `${issue.message}.`, param };
}

/**
 * Reads the body as JSON and checks it against the dialect's schema; a bad body is a 400 that says
 * which field. JSON nested deeper than {@link MAX_JSON_DEPTH} levels is refused before any schema,
 * template or grammar code recurses into it.
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  const text = await readText(c);
  // Each step over a body of many megabytes takes tens of milliseconds: between them, the server
  // answers everyone else.
  const large = text.length > LARGE_BODY_CHARS;
  if (large) await nextTurn();
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    throw new WrenError("bad_request", `The request body is not valid JSON (${(error as Error).message}).`, {
      hint: "Send a JSON object with content-type application/json.",
    });
  }
  if (exceedsJsonDepth(raw, MAX_JSON_DEPTH)) {
    throw new WrenError("bad_request", `The request body nests JSON objects or arrays more than ${MAX_JSON_DEPTH} levels deep.`, {
      hint: `Flatten the request (tool schemas, tool arguments, response_format) to at most ${MAX_JSON_DEPTH} levels of nesting.`,
    });
  }
  if (large) await nextTurn();
  const result = schema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    const { text: message, param } = first ? describeIssue(first) : { text: "Invalid request body.", param: "" };
    throw new WrenError("bad_request", message, {
      hint: "Check the request against the API reference of the endpoint.",
      details: { param },
    });
  }
  return result.data;
}

/** Bodies longer than this many characters are parsed in steps with turns of the event loop between. */
const LARGE_BODY_CHARS = 1024 * 1024;

/**
 * The body as text, decoded chunk by chunk as it arrives, so a body of many megabytes is never
 * decoded in one block of the event loop.
 */
async function readText(c: Context): Promise<string> {
  const stream = c.req.raw.body;
  if (!stream || c.req.raw.bodyUsed) return c.req.text();
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** The per-request context length from the `x-wren-context-length` header, if any. */
export function contextLengthHeader(c: Context): number | undefined {
  const value = c.req.header("x-wren-context-length");
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 16) {
    throw new WrenError("bad_request", `x-wren-context-length must be an integer of at least 16, got '${value}'.`, {
      hint: "Send the context window you need in tokens, e.g. x-wren-context-length: 4096.",
    });
  }
  return n;
}
