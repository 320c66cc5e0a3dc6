import type { Context } from "hono";

/**
 * `GET /` (and HEAD): Ollama answers "Ollama is running", and Ollama clients (Open WebUI, the
 * `ollama` CLI's heartbeat, editor plugins) probe it before anything else; a 404 there makes them
 * report the server as down. The exact text is what they look for.
 */
export function ollamaProbe(c: Context): Response {
  return c.text("Ollama is running");
}
