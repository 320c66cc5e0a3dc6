import type { z } from "zod";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../shared/json-depth.js";
import { safeParseFirstIssue } from "../wire/first-issue.js";

/** Why a body was refused, as the 400 will say it. */
export interface BodyFault {
  message: string;
  hint: string;
  param?: string;
  /** Set when the text is not JSON at all: the parser's own words, for callers that word it for what they read (a WebSocket message). */
  syntax?: string;
}

/** What checking a body's text found: the parsed value (before the schema's transforms) and its checked form, or a fault. */
export type BodyCheck<T> = { ok: true; raw: unknown; data: T } | { ok: false; fault: BodyFault };

/**
 * Whether the issue's path ends at a key its object does not have: whatever the schema expected
 * there (zod words a left-out string "received undefined", which no JSON body can send), the value is missing.
 */
function isMissing(issue: z.core.$ZodIssue, raw: unknown): boolean {
  if (issue.path.length === 0) return false;
  let parent = raw;
  for (const key of issue.path.slice(0, -1)) {
    if (typeof parent !== "object" || parent === null) return false;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  return typeof parent === "object" && parent !== null && !Array.isArray(parent) && !Object.hasOwn(parent, issue.path.at(-1)!);
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { text: string; param: string } {
  const param = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return { text: `Unrecognized request argument supplied: ${issue.keys.join(", ")}.`, param: issue.keys[0] ?? param };
  }
  if (isMissing(issue, raw)) return { text: `Missing required parameter: '${param}'.`, param };
  return { text: param ? `Invalid value for '${param}': ${issue.message}.` : `${issue.message}.`, param };
}

/**
 * Parses a body's text as JSON, bounds its nesting to {@link MAX_JSON_DEPTH} before any schema,
 * template or grammar code recurses into it, and checks it against the dialect's schema. Pure and
 * synchronous: the server runs it on its own thread for small bodies and on the body-parsing
 * worker for large ones.
 */
export function checkBody<S extends z.ZodType>(text: string, schema: S): BodyCheck<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    const syntax = (error as Error).message;
    return { ok: false, fault: { message: `The request body is not valid JSON (${syntax}).`, hint: "Send a JSON object with content-type application/json.", syntax } };
  }
  return checkValue(raw, schema);
}

/** {@link checkBody} for a value already parsed. */
export function checkValue<S extends z.ZodType>(raw: unknown, schema: S): BodyCheck<z.output<S>> {
  if (exceedsJsonDepth(raw, MAX_JSON_DEPTH)) {
    return {
      ok: false,
      fault: {
        message: `The request body nests JSON objects or arrays more than ${MAX_JSON_DEPTH} levels deep.`,
        hint: `Flatten the request (tool schemas, tool arguments, response_format) to at most ${MAX_JSON_DEPTH} levels of nesting.`,
      },
    };
  }
  const result = safeParseFirstIssue(schema, raw);
  if (result.success) return { ok: true, raw, data: result.data };
  const first = result.error.issues[0];
  const { text: message, param } = first ? describeIssue(first, raw) : { text: "Invalid request body.", param: "" };
  return { ok: false, fault: { message, hint: "Check the request against the API reference of the endpoint.", param } };
}
