/** What wren sends to Gemini clients (generativelanguage.googleapis.com's shapes). */

export type GeminiFinishReason = "STOP" | "MAX_TOKENS" | "SAFETY" | "MALFORMED_FUNCTION_CALL" | "OTHER";

export type GeminiResponsePart = { text: string } | { functionCall: { id?: string; name: string; args: Record<string, unknown> } };

export interface GeminiCandidate {
  content: { role: "model"; parts: GeminiResponsePart[] };
  finishReason?: GeminiFinishReason;
  index: number;
}

export interface GeminiUsageMetadata {
  promptTokenCount: number;
  /** Absent in a stream's chunks before the last, as in Gemini's own: they state the prompt alone. */
  candidatesTokenCount?: number;
  totalTokenCount: number;
  promptTokensDetails?: Array<{ modality: "TEXT"; tokenCount: number }>;
  /** Of `promptTokenCount`, those read from a cache; absent when none were, as in Gemini's own. */
  cachedContentTokenCount?: number;
  cacheTokensDetails?: Array<{ modality: "TEXT"; tokenCount: number }>;
}

/** One `GenerateContentResponse`: the whole answer, or one chunk of a stream. */
export interface GeminiGenerateContentResponse {
  candidates: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  modelVersion: string;
  responseId: string;
}

/** A `Model` of `GET /v1beta/models`. */
export interface GeminiModelInfo {
  name: string;
  baseModelId: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods: string[];
}

/** Google's error body (`google.rpc.Status` as JSON). */
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string; details?: Array<Record<string, unknown>> };
}
