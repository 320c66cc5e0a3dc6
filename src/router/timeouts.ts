import type { CallOptions, StreamPart } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";

/** Per-target limits, in ms. Unset means no limit. */
export interface TargetTimeouts {
  /** From the call until the target answers (`stream-start`: connected and headers in). */
  connectMs?: number | undefined;
  /** From the answer until the first token (text or tool input). */
  firstTokenMs?: number | undefined;
  /** Longest silence between two parts once tokens flow. */
  idleMs?: number | undefined;
}

const TIMED_OUT = Symbol("timed-out");

function isToken(part: StreamPart): boolean {
  return part.type === "text-delta" || part.type === "tool-input-start" || part.type === "tool-call" || part.type === "finish";
}

/**
 * Runs a model's stream under connect / first-token / idle limits. When one is exceeded the call is
 * aborted and a retryable `timeout` WrenError is thrown, naming the phase.
 */
export async function* withTimeouts(
  open: (options: CallOptions) => AsyncIterable<StreamPart>,
  timeouts: TargetTimeouts,
  target: string,
  signal?: AbortSignal,
): AsyncIterable<StreamPart> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const iterator = open({ signal: controller.signal })[Symbol.asyncIterator]();
  let phase: "connect" | "first-token" | "idle" = "connect";
  try {
    for (;;) {
      const limit = phase === "connect" ? timeouts.connectMs : phase === "first-token" ? timeouts.firstTokenMs : timeouts.idleMs;
      const pending = iterator.next();
      let next: IteratorResult<StreamPart> | typeof TIMED_OUT;
      if (limit === undefined) next = await pending;
      else {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(() => resolve(TIMED_OUT), limit);
        });
        next = await Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
      }
      if (next === TIMED_OUT) {
        pending.catch(() => undefined);
        controller.abort(new WrenError("timeout", "timed out"));
        throw new WrenError("timeout", `${target} timed out waiting for ${phase === "idle" ? "the next token" : phase === "connect" ? "a connection" : "the first token"} (${limit} ms).`, {
          hint: `Raise the ${phase} timeout for ${target} in the router config, or let the router fall back.`,
          isRetryable: true,
          details: { phase },
        });
      }
      if (next.done) return;
      const part = next.value;
      if (part.type === "stream-start") phase = "first-token";
      else if (isToken(part)) phase = "idle";
      yield part;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!controller.signal.aborted) void iterator.return?.(undefined)?.catch?.(() => undefined);
  }
}
