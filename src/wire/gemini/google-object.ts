import { z } from "zod";

/** `system_instruction` → `systemInstruction`. */
export function lowerCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * An object of Google's JSON APIs. Its fields are read by their lowerCamel names and also by their
 * proto snake_case names (`system_instruction`, `inline_data`, `mime_type`), which Google's servers
 * accept alike and its curl examples use. Only the object's own field names are renamed, never the
 * keys of maps inside it (a schema's property names, a function call's arguments). Fields wren does
 * not know are dropped; {@link unknownFields} names them for the debug log.
 */
export function googleObject<T extends z.ZodRawShape>(shape: T) {
  const known = new Set(Object.keys(shape));
  return z.preprocess((value) => renameSnakeFields(value, known), z.object(shape));
}

function renameSnakeFields(value: unknown, known: ReadonlySet<string>): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (!key.includes("_")) continue;
    const camel = lowerCamel(key);
    if (camel === key || !known.has(camel) || camel in value) continue;
    out ??= { ...(value as Record<string, unknown>) };
    out[camel] = out[key];
    delete out[key];
  }
  return out ?? value;
}

/**
 * The paths of the fields in `value` that `schema` does not read (`generationConfig.audioTimestamp`),
 * for a debug log: Google's clients send fields newer than any schema, and wren ignores them
 * rather than refusing the request. Maps (records) and free JSON are not looked into.
 */
export function unknownFields(schema: z.ZodType, value: unknown, path = ""): string[] {
  const def = schema.def as { type: string } & Record<string, unknown>;
  switch (def.type) {
    case "pipe":
      return unknownFields(def["out"] as z.ZodType, value, path);
    case "optional":
    case "nullable":
    case "default":
      return value === undefined || value === null ? [] : unknownFields(def["innerType"] as z.ZodType, value, path);
    case "array":
      return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(def["element"] as z.ZodType, item, `${path}[${i}]`)) : [];
    case "union":
      return unknownInUnion(def["options"] as z.ZodType[], value, path);
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
      const shape = def["shape"] as Record<string, z.ZodType>;
      const out: string[] = [];
      for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
        const name = key in shape ? key : lowerCamel(key);
        const child = shape[name];
        const at = path ? `${path}.${key}` : key;
        if (child) out.push(...unknownFields(child, field, at));
        else out.push(at);
      }
      return out;
    }
    default:
      return [];
  }
}

/** The unknown fields of the first option that accepts the value. */
function unknownInUnion(options: z.ZodType[], value: unknown, path: string): string[] {
  const match = options.find((o) => o.safeParse(value).success);
  return match ? unknownFields(match, value, path) : [];
}
