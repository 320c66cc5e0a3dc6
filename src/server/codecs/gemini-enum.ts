import type { JsonSchema, ResponseFormat } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";

/** Gemini's MIME type for an answer that is exactly one of a schema's enum values, as plain text. */
export const GEMINI_ENUM_MIME = "text/x.enum";

/**
 * The property that holds the value in the JSON a model is asked for. An object root, because
 * OpenAI's structured outputs take no other; the value is unwrapped again by {@link enumAnswerText}.
 */
const KEY = "answer";

function invalid(message: string, param: string, hint: string): WrenError {
  return new WrenError("bad_request", message, { hint, details: { param: `generationConfig.${param}` } });
}

/**
 * `text/x.enum` with its schema (already JSON Schema) → the JSON response format that makes any
 * model answer one of the values: locally by grammar, from a teacher by its structured output.
 */
export function geminiEnumFormat(schema: JsonSchema | undefined, param: string): ResponseFormat {
  const hint = `Send responseSchema: {type: "STRING", enum: ["a", "b", ...]} (or responseJsonSchema: {type: "string", enum: [...]}) with responseMimeType ${GEMINI_ENUM_MIME}.`;
  if (!schema) throw invalid(`generationConfig.responseMimeType '${GEMINI_ENUM_MIME}' needs a responseSchema that lists the answers.`, "responseSchema", hint);
  const type = schema["type"];
  const values = schema["enum"];
  if ((type !== undefined && type !== "string") || !Array.isArray(values)) {
    throw invalid(`generationConfig.${param} must be a STRING schema with an enum for responseMimeType '${GEMINI_ENUM_MIME}'; it is ${JSON.stringify(schema).slice(0, 200)}.`, param, hint);
  }
  if (values.length === 0) throw invalid(`generationConfig.${param}.enum is empty: ${GEMINI_ENUM_MIME} answers one of its values.`, `${param}.enum`, hint);
  const bad = values.findIndex((v) => typeof v !== "string");
  if (bad >= 0) throw invalid(`generationConfig.${param}.enum[${bad}] is ${JSON.stringify(values[bad])}, not a string.`, `${param}.enum`, hint);
  return {
    type: "json",
    name: "enum_answer",
    schema: { type: "object", properties: { [KEY]: { type: "string", enum: values } }, required: [KEY], additionalProperties: false },
    strict: true,
    answerKey: KEY,
  };
}

/** The JSON a model writes before the value, without whitespace: `{"answer":"`. */
const OPENING = `{"${KEY}":"`;
/** That JSON as written, with whitespace between its tokens. */
const WRITTEN_OPENING = new RegExp(`^\\s*\\{\\s*"${KEY}"\\s*:\\s*"`);

/**
 * The plain text of an enum answer: the value from the JSON the model wrote. An answer cut short by
 * maxOutputTokens gives as much of the value as was written (nothing when the cut came before it),
 * never the JSON around it. What is not that JSON (a teacher that ignored the schema) is passed on
 * as it is.
 */
export function enumAnswerText(json: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return cutAnswerText(json) ?? json;
  }
  if (typeof parsed === "string") return parsed;
  if (typeof parsed === "object" && parsed !== null) {
    const value = (parsed as Record<string, unknown>)[KEY];
    if (typeof value === "string") return value;
  }
  return json;
}

/** The value in the start of the wrapper's JSON (`{"answer": "neg`), or undefined when `json` is not that. */
function cutAnswerText(json: string): string | undefined {
  const opening = WRITTEN_OPENING.exec(json);
  if (!opening) return OPENING.startsWith(json.replace(/\s+/g, "")) ? "" : undefined;
  // The value's JSON string, up to its closing quote or the cut (an escape cut in half dropped).
  const value = /^(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/.exec(json.slice(opening[0].length))?.[0] ?? "";
  try {
    return JSON.parse(`"${value}"`) as string;
  } catch {
    return undefined;
  }
}
