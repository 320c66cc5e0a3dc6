import { describe, expect, it } from "vitest";
import { geminiGenerateContentRequestSchema } from "./request.js";
import { unknownFields } from "./google-object.js";

describe("Gemini request schema", () => {
  it("reads snake_case field names as their lowerCamel twins, but never renames map keys", () => {
    const body = {
      system_instruction: { parts: [{ text: "Terse." }] },
      contents: [{ role: "model", parts: [{ function_call: { name: "f", args: { some_arg: 1 } } }] }],
      generation_config: { max_output_tokens: 5 },
    };
    const parsed = geminiGenerateContentRequestSchema.parse(body);
    expect(parsed.systemInstruction).toEqual({ parts: [{ text: "Terse." }] });
    expect(parsed.contents?.[0]?.parts?.[0]?.functionCall).toEqual({ name: "f", args: { some_arg: 1 } });
    expect(parsed.generationConfig?.maxOutputTokens).toBe(5);
    expect(unknownFields(geminiGenerateContentRequestSchema, body)).toEqual([]);
  });

  it("names the fields it does not read, at any depth, and ignores them", () => {
    const body = {
      contents: [{ role: "user", parts: [{ text: "hi", newPartField: 1 }], extra: true }],
      generationConfig: { temperature: 1, future_knob: "x" },
      tools: [{ functionDeclarations: [{ name: "f", parameters: { type: "OBJECT", anything: 1 } }] }],
      topLevel: {},
    };
    expect(geminiGenerateContentRequestSchema.safeParse(body).success).toBe(true);
    expect(unknownFields(geminiGenerateContentRequestSchema, body)).toEqual([
      "contents[0].parts[0].newPartField",
      "contents[0].extra",
      "generationConfig.future_knob",
      "topLevel",
    ]);
  });
});
