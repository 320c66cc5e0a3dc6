import { z } from "zod";
import { geminiContentSchema, geminiFunctionNameSchema, geminiPartSchema, jsonObjectSchema } from "./content.js";
import { googleObject } from "./google-object.js";

/**
 * Gemini API requests (`:generateContent`, `:streamGenerateContent`, `:countTokens`,
 * `:embedContent`, `:batchEmbedContents`) as `@google/genai` and Gemini CLI send them. The fields
 * wren reads are checked; any other field is ignored and named in the debug log, as Google's
 * clients send fields newer than any schema. Field names may be lowerCamel or snake_case.
 */

const functionDeclaration = googleObject({
  name: geminiFunctionNameSchema,
  description: z.string().optional(),
  /** An OpenAPI-style schema (`type: "OBJECT"`, `nullable`), converted to JSON Schema. */
  parameters: jsonObjectSchema.optional(),
  /** A JSON Schema, used as is (Gemini CLI sends this one). */
  parametersJsonSchema: jsonObjectSchema.optional(),
  response: jsonObjectSchema.optional(),
  responseJsonSchema: z.unknown().optional(),
  behavior: z.string().optional(),
});

/** Tools a local model cannot run (search, code execution, ...): accepted and left out. */
const builtInTools = {
  googleSearch: z.unknown().optional(),
  googleSearchRetrieval: z.unknown().optional(),
  codeExecution: z.unknown().optional(),
  urlContext: z.unknown().optional(),
  computerUse: z.unknown().optional(),
  fileSearch: z.unknown().optional(),
  googleMaps: z.unknown().optional(),
  retrieval: z.unknown().optional(),
  mcpServers: z.unknown().optional(),
};
export const GEMINI_BUILT_IN_TOOLS = Object.keys(builtInTools);

export const geminiToolSchema = googleObject({
  functionDeclarations: z.array(functionDeclaration).optional(),
  ...builtInTools,
});
export type GeminiTool = z.output<typeof geminiToolSchema>;

export const geminiToolConfigSchema = googleObject({
  functionCallingConfig: googleObject({
    mode: z.enum(["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"]).optional(),
    allowedFunctionNames: z.array(z.string()).optional(),
  }).optional(),
  retrievalConfig: z.unknown().optional(),
});

const thinkingConfig = googleObject({
  includeThoughts: z.boolean().optional(),
  thinkingBudget: z.number().int().optional(),
  thinkingLevel: z.string().optional(),
});

export const geminiGenerationConfigSchema = googleObject({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().int().min(0).optional(),
  candidateCount: z.number().int().optional(),
  maxOutputTokens: z.number().int().min(1).optional(),
  stopSequences: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  responseMimeType: z.string().optional(),
  /** OpenAPI-style, like function `parameters`. */
  responseSchema: jsonObjectSchema.optional(),
  responseJsonSchema: jsonObjectSchema.optional(),
  thinkingConfig: thinkingConfig.optional(),
  responseLogprobs: z.boolean().optional(),
  logprobs: z.number().int().optional(),
  responseModalities: z.array(z.string()).optional(),
  mediaResolution: z.string().optional(),
  enableEnhancedCivicAnswers: z.boolean().optional(),
  speechConfig: z.unknown().optional(),
  imageConfig: z.unknown().optional(),
});
export type GeminiGenerationConfig = z.output<typeof geminiGenerationConfigSchema>;

const generateShape = {
  /** The path names the model; batch and count requests may repeat it here (`models/…`). */
  model: z.string().optional(),
  contents: z.array(geminiContentSchema).optional(),
  /** A turn of text parts (its role, if any, is not read); a plain string is accepted too. */
  systemInstruction: z.union([z.string(), googleObject({ role: z.string().optional(), parts: z.array(geminiPartSchema).optional() })]).optional(),
  tools: z.array(geminiToolSchema).optional(),
  toolConfig: geminiToolConfigSchema.optional(),
  generationConfig: geminiGenerationConfigSchema.optional(),
  /** Accepted and ignored: a local model has no safety filter to configure. */
  safetySettings: z.array(z.unknown()).optional(),
  cachedContent: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  serviceTier: z.unknown().optional(),
};

export const geminiGenerateContentRequestSchema = googleObject(generateShape);
export type GeminiGenerateContentRequest = z.output<typeof geminiGenerateContentRequestSchema>;

/** `:countTokens`: `contents`, or a whole `generateContentRequest` (system text and tools counted too). */
export const geminiCountTokensRequestSchema = googleObject({
  contents: z.array(geminiContentSchema).optional(),
  generateContentRequest: geminiGenerateContentRequestSchema.optional(),
});
export type GeminiCountTokensRequest = z.output<typeof geminiCountTokensRequestSchema>;

export const geminiEmbedContentRequestSchema = googleObject({
  model: z.string().optional(),
  content: geminiContentSchema,
  taskType: z.string().optional(),
  title: z.string().optional(),
  outputDimensionality: z.number().int().min(1).optional(),
});
export type GeminiEmbedContentRequest = z.output<typeof geminiEmbedContentRequestSchema>;

export const geminiBatchEmbedContentsRequestSchema = googleObject({
  requests: z.array(geminiEmbedContentRequestSchema).min(1),
});
