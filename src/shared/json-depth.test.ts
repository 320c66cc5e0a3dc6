import { describe, expect, it } from "vitest";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "./json-depth.js";

function nested(levels: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe("exceedsJsonDepth", () => {
  it("allows exactly the limit and refuses one level more", () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth(nested(3), 2)).toBe(true);
    expect(exceedsJsonDepth("text")).toBe(false);
    expect(exceedsJsonDepth(null)).toBe(false);
  });

  it("walks a million levels without overflowing the stack", () => {
    expect(exceedsJsonDepth(nested(1_000_000))).toBe(true);
  });

  it("finds one deep branch among shallow ones", () => {
    expect(exceedsJsonDepth({ a: 1, b: [1, 2, { c: "x" }], d: { e: nested(MAX_JSON_DEPTH) } })).toBe(true);
    expect(exceedsJsonDepth({ a: 1, b: [1, 2, { c: "x" }], d: { e: nested(MAX_JSON_DEPTH - 2) } })).toBe(false);
  });
});
