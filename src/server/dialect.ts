/** The client API a request speaks; picks the error body shape and metric labels. */
export type Dialect = "openai" | "anthropic" | "ollama" | "gemini" | "wren";

/** The dialect of a request path. */
export function dialectOfPath(path: string): Dialect {
  if (path.startsWith("/api/")) return "ollama";
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return "anthropic";
  // Gemini: everything under /v1beta, and /v1/models/{model}:{action} (the SDK's apiVersion v1).
  if (path === "/v1beta" || path.startsWith("/v1beta/") || /^\/v1\/models\/.+:[A-Za-z]+$/.test(path)) return "gemini";
  if (path.startsWith("/v1/")) return "openai";
  return "wren";
}
