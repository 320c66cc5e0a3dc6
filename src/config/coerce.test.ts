import { describe, expect, it } from "vitest";
import { coerceString } from "./coerce.js";

describe("coercing variable and flag strings to the schema's types", () => {
  it("reads numbers, and leaves what is not a number for the schema to reject", () => {
    expect(coerceString("42", { type: "integer" })).toEqual({ ok: true, value: 42 });
    expect(coerceString("-1.5", { type: "number" })).toEqual({ ok: true, value: -1.5 });
    expect(coerceString("4k", { type: "integer" })).toEqual({ ok: true, value: "4k" });
  });

  it("reads booleans in the usual spellings", () => {
    for (const yes of ["true", "1", "YES", "on"]) expect(coerceString(yes, { type: "boolean" })).toEqual({ ok: true, value: true });
    for (const no of ["false", "0", "no", "Off"]) expect(coerceString(no, { type: "boolean" })).toEqual({ ok: true, value: false });
    expect(coerceString("maybe", { type: "boolean" })).toEqual({ ok: true, value: "maybe" });
  });

  it("splits comma lists, coercing each item, and accepts a JSON list", () => {
    expect(coerceString("a, b,,c", { type: "array", items: { type: "string" } })).toEqual({ ok: true, value: ["a", "b", "c"] });
    expect(coerceString("1,2", { type: "array", items: { type: "integer" } })).toEqual({ ok: true, value: [1, 2] });
    expect(coerceString('["a,b"]', { type: "array", items: { type: "string" } })).toEqual({ ok: true, value: ["a,b"] });
    expect(coerceString("", { type: "array", items: { type: "string" } })).toEqual({ ok: true, value: [] });
  });

  it("reads tables as JSON and says so when the JSON is broken", () => {
    expect(coerceString('{"a": "b"}', { type: "object" })).toEqual({ ok: true, value: { a: "b" } });
    const broken = coerceString("{a", { type: "object" });
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/^is not valid JSON \(.+\)\. Write a JSON object\.$/);
  });

  it("keeps strings as they are", () => {
    expect(coerceString(" cpu ", { type: "string" })).toEqual({ ok: true, value: " cpu " });
  });
});
