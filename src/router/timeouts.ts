import type { CallOptions, LanguageModel, StreamPart } from "../protocol/index.js";
import { timeoutAbortController, untilAborted } from "../shared/abort.js";
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
  /**
   * A non-streamed call to a target off this machine, when `totalMs` is unset: its answer arrives
   * whole, headers included, only once the teacher has finished, so this is the one bound on a
   * teacher that accepts the request and never answers. See {@link wholeLimits}.
   */
  nonStreamedMs?: number | undefined;
}

/** The setting a whole call's limit comes from ({@link wholeLimits}), as its timeout error names it. */
export type TotalSetting = "totalMs" | "nonStreamedMs";

/** Limits as a call runs under them: the whole call's, when set, with the setting it comes from. */
export type CallLimits = TargetTimeouts & { setting?: TotalSetting | undefined };

const TIMED_OUT = Symbol("timed-out");

type Phase = "connect" | "first-token" | "idle";

/** The setting that bounds each wait, as the user finds it in `[router.timeouts]` / `[router.targetTimeouts]`. */
const settingOf: Record<Phase, string> = {
  connect: "`connectMs` (unset: `idleMs`, on a teacher)",
  "first-token": "`firstTokenMs` (unset: `idleMs`, on a teacher)",
  idle: "`idleMs`",
};

function timeoutError(target: string, happened: string, setting: string, phase: Phase | "total"): WrenError {
  return new WrenError("timeout", `${target} ${happened}.`, {
    hint: `${target} may be overloaded or unreachable; retry later, or add a target for the router to fall back to. To wait longer, raise ${setting} for ${target} in [router.targetTimeouts] (or for every target in [router.timeouts]).`,
    isRetryable: true,
    details: { phase },
  });
}

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

function totalTimeout(target: string, ms: number, setting: TotalSetting = "totalMs"): WrenError {
  return timeoutError(target, `sent no complete answer within ${seconds(ms)}`, `\`${setting}\``, "total");
}

/**
 * The limit of a non-streamed call, and the setting it comes from: `totalMs` when set; else, on a
 * target off this machine, `nonStreamedMs`. Its answer arrives whole (headers and all, on most
 * servers) once the teacher has finished, so the phase limits of a stream do not apply: they would
 * cap generation time. The local model, peers and loopback servers keep no default: a long answer
 * on a CPU may take longer than any default would allow.
 */
export function wholeLimits(timeouts: TargetTimeouts, leavesMachine: boolean): { totalMs: number | undefined; setting: TotalSetting } {
  if (timeouts.totalMs === undefined && leavesMachine && timeouts.nonStreamedMs !== undefined) return { totalMs: timeouts.nonStreamedMs, setting: "nonStreamedMs" };
  return { totalMs: timeouts.totalMs, setting: "totalMs" };
}

/** Models whose {@link LanguageModel.prepare} has finished: their later calls skip it. */
const prepared = new WeakSet<LanguageModel>();

/**
 * Readies `model` for a call ({@link LanguageModel.prepare}) before any of the call's limits starts:
 * they bound the upstream's silence, and the time wren takes to load a provider's SDK on the first
 * call (seconds on a loaded machine) is none of the upstream's. The caller's cancel ends the wait.
 * Undefined once the model is ready: every routed request passes here, and waiting on a settled
 * load would still cost each one a promise and an abort listener.
 */
export function prepareModel(model: LanguageModel, signal?: AbortSignal): Promise<void> | undefined {
  if (model.prepare === undefined || prepared.has(model)) return undefined;
  const loading = model.prepare();
  return (signal ? untilAborted(loading, signal) : loading).then(() => void prepared.add(model));
}

/**
 * Runs a non-streamed call under its limit ({@link wholeLimits}: the only one that applies to an
 * answer that arrives whole; the setting it comes from, for the error): past it the call is aborted and a retryable `timeout` is thrown. With no
 * limit set, the call is the model's own.
 */
export function withDeadline<T>(
  call: (options: CallOptions) => Promise<T>,
  limits: CallLimits,
  target: string,
  signal?: AbortSignal,
): Promise<T> {
  const totalMs = limits.totalMs;
  if (totalMs === undefined) return call(signal ? { signal } : {});
  const deadline = timeoutAbortController(totalMs, () => totalTimeout(target, totalMs, limits.setting), signal);
  return new Promise<T>((resolve, reject) => {
    // The timeout is the caller's answer at once, even from a call slow to notice its abort.
    const onAbort = (): void => {
      if (deadline.timedOut) reject(deadline.signal.reason as Error);
    };
    const signal = deadline.signal;
    signal.addEventListener("abort", onAbort, { once: true });
    // Detached as soon as the call is done, before its answer is passed on: left on the signal, the
    // listener held this promise and the answer it settled with for as long as the signal lived,
    // which on Node 20 (where every AbortSignal outlives young collections) is until a full collection.
    const done = (): void => {
      signal.removeEventListener("abort", onAbort);
      deadline[Symbol.dispose]();
    };
    let work: Promise<T>;
    try {
      work = call({ signal });
    } catch (error) {
      // Thrown in the executor: it rejects this promise.
      done();
      throw error;
    }
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: Error) => {
        done();
        reject(error);
      },
    );
  });
}

/**
 * The limits of a target's stream: on a target off this machine, `idleMs` bounds the wait for the
 * response (`connectMs` unset) and for the first token (`firstTokenMs` unset) too: a teacher that
 * accepts the connection and never answers, or sends its headers and then only keep-alives, would
 * otherwise hold the request until its SDK gives up (10 minutes), or for good. A teacher streaming
 * sends its headers at once, before it thinks. Not on targets that stay on it or on the user's own machines
 * (the local model, a peer, a llama-server or Ollama on loopback): their first token waits for a
 * turn in their queue and for the whole prompt to be read, which on a CPU and a long prompt can
 * take minutes.
 */
export function streamLimits(timeouts: TargetTimeouts, leavesMachine: boolean): TargetTimeouts {
  const idleMs = timeouts.idleMs;
  if (!leavesMachine || idleMs === undefined || (timeouts.firstTokenMs !== undefined && timeouts.connectMs !== undefined)) return timeouts;
  // Object.assign, not `{ ...timeouts, connectMs, ... }`: on Node 20 a spread followed by more
  // properties makes a new hidden class on every call (about 3 µs of every streamed request).
  return Object.assign({}, timeouts, { connectMs: timeouts.connectMs ?? idleMs, firstTokenMs: timeouts.firstTokenMs ?? idleMs });
}

function isToken(part: StreamPart): boolean {
  return part.type === "text-delta" || part.type === "tool-input-start" || part.type === "tool-call" || part.type === "finish";
}

function limitOf(timeouts: TargetTimeouts, phase: Phase): number | undefined {
  return phase === "connect" ? timeouts.connectMs : phase === "first-token" ? timeouts.firstTokenMs : timeouts.idleMs;
}

/**
 * Runs a model's stream under connect / first-token / idle limits. When one is exceeded the call is
 * aborted and a retryable `timeout` WrenError is thrown, naming the phase and the setting to raise
 * (for the whole call's limit, `timeouts.setting`: `totalMs` unless said). With no limit set (the
 * default) the stream is the model's own: no controller, timer or extra layer per request.
 */
export function withTimeouts(
  open: (options: CallOptions) => AsyncIterable<StreamPart>,
  timeouts: CallLimits,
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
  timeouts: CallLimits,
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
        if (totalMs !== undefined && performance.now() >= deadline) throw totalTimeout(target, totalMs, timeouts.setting);
        const within = seconds(limit ?? 0);
        const happened =
          phase === "connect"
            ? `sent no response within ${within} (no response headers came)`
            : phase === "first-token"
              ? `answered, then sent no first token within ${within}`
              : `stopped sending its answer: no next token within ${within}`;
        throw timeoutError(target, happened, settingOf[phase], phase);
      }
      if (next.done) return;
      const part = next.value;
      const nextPhase: Phase = part.type === "stream-start" ? "first-token" : isToken(part) ? "idle" : phase;
      if (nextPhase !== phase) {
        const before = limit;
        phase = nextPhase;
        limit = limitOf(timeouts, phase);
        // The timer armed for an earlier wait fires before this phase's wait can end, finds it
        // younger than its limit and re-arms (a teacher's phases share one limit unless set apart):
        // only a shorter limit needs it armed again now.
        if (limit !== undefined && (before === undefined || limit < before)) {
          clearTimeout(timer);
          timer = undefined;
        }
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
