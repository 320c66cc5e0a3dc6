/** The client API a request speaks; picks the error body shape and metric labels. */
export type Dialect = "openai" | "anthropic" | "ollama" | "wren";

/** The dialect of a request path. */
export function dialectOfPath(path: string): Dialect {
  if (path.startsWith("/api/")) return "ollama";
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return "anthropic";
  if (path.startsWith("/v1/")) return "openai";
  return "wren";
}
