import { describe, expect, it } from "vitest";
import { z } from "zod";
import { anthropicMessagesRequestSchema } from "../wire/anthropic/messages.js";
import { responsesCreateRequestSchema } from "../wire/openai/responses-request.js";
import { checkBody, checkValue } from "./body-check.js";

describe("checkValue", () => {
  it("checks a bad body only up to its first problem", () => {
    let checked = 0;
    const schema = z.object({ items: z.array(z.preprocess((v) => (checked++, v), z.string())) });
    const result = checkValue({ items: Array.from({ length: 10_000 }, (_, i) => i) }, schema);
    expect(result).toEqual({ ok: false, fault: { message: "Invalid value for 'items.0': Invalid input: expected string, received number.", hint: expect.any(String), param: "items.0" } });
    // One entry looked at, not ten thousand: a hostile body's issues would otherwise cost memory
    // and time in proportion to its size.
    expect(checked).toBe(1);
  });

  it("still names unknown fields of a strict schema, and accepts a good body whole", () => {
    const schema = z.strictObject({ a: z.array(z.number()) });
    expect(checkBody('{"a":[1,2],"b":1,"c":2}', schema)).toMatchObject({ ok: false, fault: { message: "Unrecognized request argument supplied: b, c.", param: "b" } });
    expect(checkBody('{"a":[1,2,3]}', schema)).toEqual({ ok: true, raw: { a: [1, 2, 3] }, data: { a: [1, 2, 3] } });
  });

  it("names both forms of a field that takes a string or a list, not the list's alone", () => {
    const anthropic = checkValue({ model: "m", max_tokens: 5, system: 5, messages: [{ role: "user", content: "hi" }] }, anthropicMessagesRequestSchema);
    expect(anthropic).toMatchObject({ ok: false, fault: { message: "Invalid value for 'system': expected a string or an array of content blocks.", param: "system" } });
    const content = checkValue({ model: "m", max_tokens: 5, messages: [{ role: "user", content: { text: "hi" } }] }, anthropicMessagesRequestSchema);
    expect(content).toMatchObject({ ok: false, fault: { message: "Invalid value for 'messages.0.content': expected a string or an array of content blocks." } });
    const responses = checkValue({ model: "m", input: 5 }, responsesCreateRequestSchema);
    expect(responses).toMatchObject({ ok: false, fault: { message: "Invalid value for 'input': expected a string or an array of input items.", param: "input" } });
    // Either form still passes.
    expect(checkValue({ model: "m", max_tokens: 5, system: "Be brief.", messages: [{ role: "user", content: "hi" }] }, anthropicMessagesRequestSchema).ok).toBe(true);
    expect(checkValue({ model: "m", input: "hi" }, responsesCreateRequestSchema).ok).toBe(true);
  });

  it("says a field is missing, not that it was given as undefined, which no JSON body can send", () => {
    const schema = z.object({ model: z.string(), messages: z.array(z.object({ role: z.string(), content: z.string().optional() })) });
    expect(checkValue({ messages: [] }, schema)).toMatchObject({ ok: false, fault: { message: "Missing required parameter: 'model'.", param: "model" } });
    expect(checkValue({ model: "m", messages: [{ content: "hi" }] }, schema)).toMatchObject({ ok: false, fault: { message: "Missing required parameter: 'messages.0.role'.", param: "messages.0.role" } });
    // A field of either of two forms, left out, is missing too.
    const anthropic = checkValue({ model: "m", max_tokens: 5, messages: [{ role: "user" }] }, anthropicMessagesRequestSchema);
    expect(anthropic).toMatchObject({ ok: false, fault: { message: "Missing required parameter: 'messages.0.content'." } });
    // Present but wrong (null is a value a body can send) keeps the type it should have been.
    expect(checkValue({ model: null, messages: [] }, schema)).toMatchObject({ ok: false, fault: { message: "Invalid value for 'model': Invalid input: expected string, received null." } });
    // A whole body that is not an object is not a missing field.
    expect(checkBody("[]", schema)).toMatchObject({ ok: false, fault: { message: "Invalid input: expected object, received array." } });
  });
});
