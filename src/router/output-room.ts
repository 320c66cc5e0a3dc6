/**
 * How many tokens of a local context a request's answer must find free for the local model to be
 * worth trying. `max_tokens` is a ceiling, not a need: coding agents send 32,000 with every request
 * and expect short answers, so holding all of it free would send every such request past a local
 * model with a smaller context. The reserve is what was asked for, up to a quarter of the context;
 * the engine then caps the answer to the room that is really left (finish reason `length`).
 */
export function outputReserve(maxOutputTokens: number | undefined, contextLength: number): number {
  return Math.min(maxOutputTokens ?? 0, Math.floor(contextLength / 4));
}
