import type { ChatRequest, Message } from "../protocol/index.js";
import { toWrenError } from "../shared/errors.js";
import { startGeneration, type Generation } from "./generation.js";
import type { RequestScope } from "./request-scope.js";

/**
 * The request without its `count` oldest conversation messages: instructions (leading system
 * messages) stay, a tool result whose call was dropped goes with it, and the last message always
 * stays. Undefined when nothing more can be dropped.
 */
export function dropOldest(request: ChatRequest, count: number): ChatRequest | undefined {
  const lead = request.messages.findIndex((m) => m.role !== "system");
  if (lead < 0) return undefined;
  const head = request.messages.slice(0, lead);
  let rest: Message[] = request.messages.slice(lead);
  if (rest.length <= 1) return undefined;
  rest = rest.slice(Math.min(count, rest.length - 1));
  while (rest.length > 1 && rest[0]?.role === "tool") rest = rest.slice(1);
  return { ...request, messages: [...head, ...rest] };
}

/**
 * Starts a generation; with `truncation: "auto"`, a prompt that does not fit the context is
 * retried without its oldest conversation items (1, then 2, 4, … more each time, so a long history
 * costs few attempts) until it fits or only the last message is left, as OpenAI's `auto`
 * truncation drops items from the beginning of the conversation. Without it, the refusal stands.
 */
export async function startTruncating(ctx: Parameters<typeof startGeneration>[0], model: string, request: ChatRequest, scope: RequestScope, auto: boolean): Promise<Generation> {
  let current = request;
  let dropped = 0;
  for (let step = 1; ; step *= 2) {
    try {
      return await startGeneration(ctx, "openai", model, current, scope);
    } catch (error) {
      if (!auto || toWrenError(error).code !== "context_overflow") throw error;
      const shorter = dropOldest(request, dropped + step);
      if (!shorter || shorter.messages.length === current.messages.length) throw error;
      dropped += step;
      current = shorter;
    }
  }
}
