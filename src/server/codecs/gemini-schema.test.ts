import { describe, expect, it } from "vitest";
import { geminiSchemaToJsonSchema } from "./gemini-schema.js";

describe("Gemini Schema → JSON Schema", () => {
  it("lower-cases types, turns nullable into a null type, drops storage formats and ordering, keeps property names", () => {
    const schema = geminiSchemaToJsonSchema({
      type: "OBJECT",
      title: "Order",
      properties: {
        item_name: { type: "STRING", format: "enum", enum: ["tea", "cake"] },
        count: { type: "INTEGER", format: "int32", minimum: 1 },
        note: { type: "STRING", nullable: true, max_length: "40" },
        tags: { type: "ARRAY", items: { type: "STRING", format: "date-time" }, minItems: "1", maxItems: "3" },
        either: { anyOf: [{ type: "NUMBER" }, { type: "BOOLEAN" }], nullable: true },
      },
      required: ["item_name"],
      propertyOrdering: ["item_name", "count"],
      example: { item_name: "tea" },
    });
    expect(schema).toEqual({
      type: "object",
      title: "Order",
      properties: {
        item_name: { type: "string", enum: ["tea", "cake"] },
        count: { type: "integer", minimum: 1 },
        note: { type: ["string", "null"], maxLength: 40 },
        tags: { type: "array", items: { type: "string", format: "date-time" }, minItems: 1, maxItems: 3 },
        either: { anyOf: [{ type: "number" }, { type: "boolean" }, { type: "null" }] },
      },
      required: ["item_name"],
    });
  });
});
