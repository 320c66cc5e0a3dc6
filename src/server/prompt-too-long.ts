import type { WrenError } from "../shared/errors.js";

/** The numbers of a prompt that cannot fit its model's context. */
export interface PromptTooLong {
  /** Tokens the prompt has (at least: counting stops once a prompt is surely too long). */
  promptTokens: number;
  /** The most tokens a prompt may have in that context. */
  maxPromptTokens: number;
}

/**
 * The numbers of a `context_overflow` error, when the engine knew them (a route whose targets were
 * all skipped, or a library's own failure, may not): for each dialect's "prompt is too long" error.
 */
export function promptTooLongOf(error: WrenError): PromptTooLong | undefined {
  if (error.code !== "context_overflow") return undefined;
  const promptTokens = error.details?.["promptTokens"];
  const maxPromptTokens = error.details?.["maxPromptTokens"];
  if (typeof promptTokens !== "number" || typeof maxPromptTokens !== "number") return undefined;
  return { promptTokens, maxPromptTokens };
}

/** What to do about it, after a dialect's own wording: wren's hint, or its whole message when there are no numbers. */
export function promptTooLongAdvice(error: WrenError): string {
  return promptTooLongOf(error) ? (error.hint ?? "") : error.toLine();
}
