/** The client API a request speaks; picks the error body shape and metric labels. */
export type Dialect = "openai" | "anthropic" | "ollama" | "gemini" | "wren";

/** Gemini's actions under /v1 (OpenAI model ids may hold colons too: `ft:gpt-4o:org:id`). */
const GEMINI_V1_ACTION = /^\/v1\/models\/.+:(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/;

/** The dialect of a request path. */
export function dialectOfPath(path: string): Dialect {
  if (path.startsWith("/api/")) return "ollama";
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return "anthropic";
  // Gemini: everything under /v1beta, and /v1/models/{model}:{action} (the SDK's apiVersion v1).
  if (path === "/v1beta" || path.startsWith("/v1beta/") || GEMINI_V1_ACTION.test(path)) return "gemini";
  if (path.startsWith("/v1/")) return "openai";
  return "wren";
}
