import type { ChatRequest } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { GeminiGenerationConfig } from "../../wire/gemini/index.js";
import { GEMINI_ENUM_MIME, geminiEnumFormat } from "./gemini-enum.js";
import { geminiSchemaToJsonSchema } from "./gemini-schema.js";

type Sampling = Pick<ChatRequest, "temperature" | "topP" | "topK" | "maxOutputTokens" | "stopSequences" | "seed" | "presencePenalty" | "frequencyPenalty" | "responseFormat">;

function unsupported(message: string, param: string, hint: string): WrenError {
  return new WrenError("unsupported", message, { hint, details: { param: `generationConfig.${param}` } });
}

/** The response format: JSON (with the schema in either spelling), one of an enum's values, or text. */
function responseFormat(config: GeminiGenerationConfig): Sampling["responseFormat"] {
  const mime = config.responseMimeType?.toLowerCase();
  const schema = config.responseJsonSchema ?? (config.responseSchema ? geminiSchemaToJsonSchema(config.responseSchema) : undefined);
  if (mime === GEMINI_ENUM_MIME) return geminiEnumFormat(schema, config.responseJsonSchema ? "responseJsonSchema" : "responseSchema");
  if (mime === "application/json" || (mime === undefined && schema)) return { type: "json", ...(schema ? { schema } : {}) };
  if (mime === undefined || mime === "text/plain") {
    if (schema) throw unsupported("generationConfig.responseSchema needs responseMimeType 'application/json'.", "responseMimeType", "Set responseMimeType to application/json, or leave the schema out.");
    return undefined;
  }
  throw unsupported(`generationConfig.responseMimeType '${config.responseMimeType}' is not supported; wren answers text/plain, application/json or ${GEMINI_ENUM_MIME}.`, "responseMimeType", `Use text/plain, application/json (with a responseSchema) or ${GEMINI_ENUM_MIME} (with a STRING enum responseSchema).`);
}

/**
 * `generationConfig` → canonical sampling and output settings. `thinkingConfig` is accepted (a
 * local model without reasoning does not think); one candidate is all wren answers with, and
 * without log probabilities.
 */
export function convertGeminiGenerationConfig(config: GeminiGenerationConfig): Sampling {
  if (config.candidateCount !== undefined && config.candidateCount !== 1) {
    throw unsupported(`generationConfig.candidateCount is ${config.candidateCount}; wren answers with one candidate.`, "candidateCount", "Leave candidateCount unset or 1, and send one request per answer you need.");
  }
  const modalities = config.responseModalities?.filter((m) => m.toUpperCase() !== "TEXT") ?? [];
  if (modalities.length > 0) {
    throw unsupported(`generationConfig.responseModalities asks for ${modalities.join(", ")}; wren's models answer text.`, "responseModalities", "Ask for TEXT only, or leave responseModalities out.");
  }
  // Asked for and silently left out, a client reading candidates[0].logprobsResult would find none.
  if (config.responseLogprobs === true || (config.logprobs !== undefined && config.logprobs > 0)) {
    const param = config.responseLogprobs === true ? "responseLogprobs" : "logprobs";
    throw unsupported(`generationConfig.${param} asks for log probabilities; wren does not return them.`, param, "Leave responseLogprobs and logprobs out (or false and 0).");
  }
  const out: Sampling = {};
  if (config.temperature !== undefined) out.temperature = config.temperature;
  if (config.topP !== undefined) out.topP = config.topP;
  if (config.topK !== undefined) out.topK = config.topK;
  if (config.maxOutputTokens !== undefined) out.maxOutputTokens = config.maxOutputTokens;
  if (config.stopSequences && config.stopSequences.length > 0) out.stopSequences = config.stopSequences;
  if (config.seed !== undefined) out.seed = config.seed;
  if (config.presencePenalty !== undefined) out.presencePenalty = config.presencePenalty;
  if (config.frequencyPenalty !== undefined) out.frequencyPenalty = config.frequencyPenalty;
  const format = responseFormat(config);
  if (format) out.responseFormat = format;
  return out;
}
