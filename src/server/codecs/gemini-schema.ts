import type { JsonSchema } from "../../protocol/index.js";
import { lowerCamel } from "../../wire/gemini/index.js";

const TYPES: Record<string, string> = {
  STRING: "string",
  NUMBER: "number",
  INTEGER: "integer",
  BOOLEAN: "boolean",
  ARRAY: "array",
  OBJECT: "object",
  NULL: "null",
};

/** Gemini's number formats say how a value is stored, not what it may be: JSON Schema has no use for them. */
const DROPPED_FORMATS = new Set(["enum", "int32", "int64", "float", "double"]);

/** Counts that proto JSON may send as strings (int64). */
const COUNTS = new Set(["minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties"]);

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  let nullable = false;
  for (const [raw, value] of Object.entries(node as Record<string, unknown>)) {
    const key = lowerCamel(raw);
    switch (key) {
      case "type": {
        if (typeof value !== "string") out["type"] = value;
        else if (value !== "TYPE_UNSPECIFIED") out["type"] = TYPES[value.toUpperCase()] ?? value.toLowerCase();
        break;
      }
      case "nullable":
        nullable = value === true;
        break;
      case "format":
        if (typeof value !== "string" || !DROPPED_FORMATS.has(value)) out["format"] = value;
        break;
      case "properties":
        if (typeof value === "object" && value !== null) {
          // Property names are the client's own: kept exactly as sent.
          out["properties"] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, s]) => [name, convert(s)]));
        }
        break;
      case "items":
      case "anyOf":
        out[key] = convert(value);
        break;
      case "propertyOrdering":
      case "example":
        break;
      default:
        out[key] = COUNTS.has(key) && typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    }
  }
  if (nullable) {
    if (typeof out["type"] === "string") out["type"] = [out["type"], "null"];
    else if (Array.isArray(out["anyOf"])) out["anyOf"] = [...(out["anyOf"] as unknown[]), { type: "null" }];
  }
  return out;
}

/**
 * A Gemini `Schema` (the OpenAPI 3.0 subset of `parameters` and `responseSchema`: upper-case
 * types, `nullable`, `propertyOrdering`) as the JSON Schema wren's models take.
 */
export function geminiSchemaToJsonSchema(schema: Record<string, unknown>): JsonSchema {
  return convert(schema) as JsonSchema;
}
