import type { CallOptions, StreamPart } from "../protocol/index.js";
import { timeoutAbortController } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";

/** Per-target limits, in ms. Unset means no limit. */
export interface TargetTimeouts {
  /** From the call until the target answers (`stream-start`: connected and headers in). */
  connectMs?: number | undefined;
  /** From the answer until the first token (text or tool input). */
  firstTokenMs?: number | undefined;
  /**
   * Longest wait for content (a token, the finish) once tokens flow; parts without content, and
   * an upstream's keep-alives (which make none), do not reset it. See {@link streamLimits} for the
   * wait for the first token.
   */
  idleMs?: number | undefined;
  /**
   * The whole call, until its answer is complete, streamed or not: the one limit that bounds a
   * non-streamed call, whose answer arrives whole (its first token would be its last).
   */
  totalMs?: number | undefined;
}

const TIMED_OUT = Symbol("timed-out");

type Phase = "connect" | "first-token" | "idle";

function timeoutError(target: string, what: string, ms: number, setting: string, phase: Phase | "total"): WrenError {
  return new WrenError("timeout", `${target} timed out waiting for ${what} (${ms} ms).`, {
    hint: `Raise ${setting} for ${target} in the router config, or let the router fall back.`,
    isRetryable: true,
    details: { phase },
  });
}

function totalTimeout(target: string, ms: number): WrenError {
  return timeoutError(target, "its whole answer", ms, "totalMs", "total");
}

/**
 * Runs a non-streamed call under the target's `totalMs` (the only limit that applies to an answer
 * that arrives whole): past it the call is aborted and a retryable `timeout` is thrown. With no
 * limit set, the call is the model's own.
 */
export function withDeadline<T>(call: (options: CallOptions) => Promise<T>, timeouts: TargetTimeouts, target: string, signal?: AbortSignal): Promise<T> {
  const totalMs = timeouts.totalMs;
  if (totalMs === undefined) return call(signal ? { signal } : {});
  const deadline = timeoutAbortController(totalMs, () => totalTimeout(target, totalMs), signal);
  return new Promise<T>((resolve, reject) => {
    // The timeout is the caller's answer at once, even from a call slow to notice its abort.
    deadline.signal.addEventListener("abort", () => deadline.timedOut && reject(deadline.signal.reason as Error), { once: true });
    call({ signal: deadline.signal })
      .then(resolve, reject)
      .finally(() => deadline[Symbol.dispose]());
  });
}

/**
 * The limits of a target's stream: with no `firstTokenMs`, `idleMs` bounds the wait for the first
 * token too on a target off this machine (a teacher that sends its headers, then only keep-alives,
 * would hold the request for good). Not on targets that stay on it or on the user's own machines
 * (the local model, a peer, a llama-server or Ollama on loopback): their first token waits for a
 * turn in their queue and for the whole prompt to be read, which on a CPU and a long prompt can
 * take minutes.
 */
export function streamLimits(timeouts: TargetTimeouts, leavesMachine: boolean): TargetTimeouts {
  if (!leavesMachine || timeouts.firstTokenMs !== undefined || timeouts.idleMs === undefined) return timeouts;
  return { ...timeouts, firstTokenMs: timeouts.idleMs };
}

function isToken(part: StreamPart): boolean {
  return part.type === "text-delta" || part.type === "tool-input-start" || part.type === "tool-call" || part.type === "finish";
}

function limitOf(timeouts: TargetTimeouts, phase: Phase): number | undefined {
  return phase === "connect" ? timeouts.connectMs : phase === "first-token" ? timeouts.firstTokenMs : timeouts.idleMs;
}

/**
 * Runs a model's stream under connect / first-token / idle limits. When one is exceeded the call is
 * aborted and a retryable `timeout` WrenError is thrown, naming the phase. With no limit set (the
 * default) the stream is the model's own: no controller, timer or extra layer per request.
 */
export function withTimeouts(
  open: (options: CallOptions) => AsyncIterable<StreamPart>,
  timeouts: TargetTimeouts,
  target: string,
  signal?: AbortSignal,
): AsyncIterable<StreamPart> {
  if (timeouts.connectMs === undefined && timeouts.firstTokenMs === undefined && timeouts.idleMs === undefined && timeouts.totalMs === undefined) {
    return open(signal ? { signal } : {});
  }
  return limited(open, timeouts, target, signal);
}

async function* limited(
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
  let phase: Phase = "connect";
  let limit = limitOf(timeouts, phase);
  const totalMs = timeouts.totalMs;
  const deadline = totalMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + totalMs;
  /** What is left of the current wait: of its phase's limit or of the whole call's, whichever ends first. */
  const leftOfWait = (now: number): number => Math.min(limit === undefined ? Number.POSITIVE_INFINITY : waitingSince + limit - now, deadline - now);
  // One timer for the whole call rather than one per part: while parts keep coming it fires early,
  // finds the current wait younger than the limit, and re-arms for what is left of it.
  let timer: NodeJS.Timeout | undefined;
  let waitingSince = 0;
  let wake: ((value: typeof TIMED_OUT) => void) | undefined;
  const onTimer = () => {
    timer = undefined;
    if (!wake) return; // not waiting: the next wait arms it again
    const left = leftOfWait(performance.now());
    if (left > 0) timer = setTimeout(onTimer, left);
    else wake(TIMED_OUT);
  };
  try {
    for (;;) {
      const pending = iterator.next();
      let next: IteratorResult<StreamPart> | typeof TIMED_OUT;
      if (limit === undefined && totalMs === undefined) next = await pending;
      else {
        waitingSince = performance.now();
        timer ??= setTimeout(onTimer, Math.max(0, leftOfWait(waitingSince)));
        next = await new Promise<IteratorResult<StreamPart> | typeof TIMED_OUT>((resolve, reject) => {
          wake = resolve;
          pending.then(resolve, reject);
        });
        wake = undefined;
      }
      if (next === TIMED_OUT) {
        pending.catch(() => undefined);
        controller.abort(new WrenError("timeout", "timed out"));
        if (totalMs !== undefined && performance.now() >= deadline) throw totalTimeout(target, totalMs);
        const what = phase === "idle" ? "the next token" : phase === "connect" ? "a connection" : "the first token";
        throw timeoutError(target, what, limit ?? 0, `the ${phase} timeout`, phase);
      }
      if (next.done) return;
      const part = next.value;
      const nextPhase: Phase = part.type === "stream-start" ? "first-token" : isToken(part) ? "idle" : phase;
      if (nextPhase !== phase) {
        // A new phase may have a shorter limit than the one the timer was armed for.
        phase = nextPhase;
        limit = limitOf(timeouts, phase);
        clearTimeout(timer);
        timer = undefined;
      }
      yield part;
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    // Always close the target's stream, aborted or not: a generator suspended at a `yield` runs its
    // `finally` (which gives back a local model's sequence and admission slot) only when returned.
    void iterator.return?.(undefined)?.catch?.(() => undefined);
  }
}
