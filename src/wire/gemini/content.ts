import { z } from "zod";
import { googleObject } from "./google-object.js";

/** A JSON object sent as is (function arguments and responses, schemas). */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

const blob = googleObject({ mimeType: z.string(), data: z.string() });
const fileData = googleObject({ mimeType: z.string().optional(), fileUri: z.string() });

/**
 * Gemini's rule for function names. A name is spliced into chat templates and grammars, where
 * spaces, quotes or control characters would corrupt them; Gemini refuses those too.
 */
const GEMINI_FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;

export const geminiFunctionNameSchema = z.string().superRefine((name, ctx) => {
  if (GEMINI_FUNCTION_NAME.test(name)) return;
  ctx.addIssue({
    code: "custom",
    message: `the function name ${JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)} is not allowed: start with a letter or an underscore, then use letters, digits, underscores, dots, colons or dashes, 64 characters at most`,
  });
});

const functionCall = googleObject({
  id: z.string().optional(),
  name: geminiFunctionNameSchema,
  args: jsonObjectSchema.nullish(),
});

const functionResponse = googleObject({
  id: z.string().optional(),
  name: geminiFunctionNameSchema,
  response: jsonObjectSchema.nullish(),
  /** Multimodal parts of a function's answer: read for their text only. */
  parts: z.array(z.unknown()).optional(),
  willContinue: z.boolean().optional(),
  scheduling: z.string().optional(),
});

/**
 * One part of a turn. Gemini sends exactly one kind per part; wren reads text, inline images,
 * image URLs, function calls and function responses, and skips the model's own thoughts.
 */
export const geminiPartSchema = googleObject({
  text: z.string().optional(),
  /** True for the model's reasoning, which clients send back in the history: not part of the conversation. */
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: blob.optional(),
  fileData: fileData.optional(),
  functionCall: functionCall.optional(),
  functionResponse: functionResponse.optional(),
  executableCode: jsonObjectSchema.optional(),
  codeExecutionResult: jsonObjectSchema.optional(),
  videoMetadata: jsonObjectSchema.optional(),
  mediaResolution: z.unknown().optional(),
  partMetadata: jsonObjectSchema.optional(),
});
export type GeminiPart = z.output<typeof geminiPartSchema>;

/** A turn: `user` (text, images, function responses) or `model` (text, function calls). */
export const geminiContentSchema = googleObject({
  /** `function` is the older name of the turn that carries function responses. */
  role: z.enum(["user", "model", "function"]).optional(),
  parts: z.array(geminiPartSchema).optional(),
});
export type GeminiContent = z.output<typeof geminiContentSchema>;
