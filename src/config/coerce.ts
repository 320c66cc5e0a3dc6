import type { JsonSchemaNode } from "./config-schema.js";
import { typesOf } from "./schema-walk.js";

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/**
 * Turns a string from an environment variable or a flag into the type the schema wants:
 * numbers, booleans (true/false, 1/0, yes/no, on/off), comma-separated lists, and JSON for tables
 * and lists of tables. A string that does not fit is returned as is, for the schema to reject
 * with its usual message.
 */
export function coerceString(raw: string, node: JsonSchemaNode): Coerced {
  const value = raw.trim();
  const types = typesOf(node);
  if ((types.includes("integer") || types.includes("number")) && /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) {
    return { ok: true, value: Number(value) };
  }
  if (types.includes("boolean")) {
    const lower = value.toLowerCase();
    if (TRUE.has(lower)) return { ok: true, value: true };
    if (FALSE.has(lower)) return { ok: true, value: false };
  }
  if (types.includes("array")) {
    if (value.startsWith("[")) return parseJson(value, "a JSON list");
    const items = node.items;
    if (items !== undefined && typesOf(items).includes("object")) {
      return { ok: false, message: `must be a JSON list of tables, e.g. [{"id": "tiny", "ref": "..."}]. Write it as JSON.` };
    }
    const parts = value === "" ? [] : value.split(",").map((p) => p.trim()).filter((p) => p !== "");
    return {
      ok: true,
      value: parts.map((part) => {
        const coerced = items === undefined ? undefined : coerceString(part, items);
        return coerced?.ok ? coerced.value : part;
      }),
    };
  }
  if (types.includes("object")) return parseJson(value, "a JSON object");
  return { ok: true, value: raw };
}

function parseJson(value: string, what: string): Coerced {
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `is not valid JSON (${reason}). Write ${what}.` };
  }
}
