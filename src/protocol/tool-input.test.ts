import { describe, expect, it } from "vitest";
import { toolInputObject } from "./tool-input.js";

describe("toolInputObject", () => {
  it("parses JSON text, keeps an object, and gives the empty object for what is no JSON object (a call cut off half-written)", () => {
    expect(toolInputObject('{"city": "Paris"}')).toEqual({ city: "Paris" });
    expect(toolInputObject({ city: "Paris" })).toEqual({ city: "Paris" });
    expect(toolInputObject('{"city": "Par')).toEqual({});
    expect(toolInputObject("[1, 2]")).toEqual({});
    expect(toolInputObject("null")).toEqual({});
    expect(toolInputObject(undefined)).toEqual({});
  });
});
