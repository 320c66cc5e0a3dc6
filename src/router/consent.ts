import { untilAborted } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";

/** Whether requests may leave this machine: always, after asking, or never. */
export type CloudPolicy = "allow" | "ask" | "never";

export interface ConsentOptions {
  policy: CloudPolicy;
  /** `--offline`: nothing leaves loopback, whatever the policy says. */
  offline?: boolean;
  /**
   * Asks the user (the CLI) once per session. Absent at the server: with `ask`, cloud targets are
   * refused with a clear error until cloud use is allowed. Requests that need the answer at the same
   * time wait on one question; `signal` aborts when the last of them has been cancelled (the gate
   * then forgets the question), so the asker may take it down.
   */
  ask?: (target: string, signal?: AbortSignal) => Promise<boolean>;
  /**
   * With `ask` and nobody to ask: the hint of the refusal. Default: how to allow cloud use in the
   * server's config (the CLI says how to be asked instead).
   */
  noAskHint?: string;
}

/** The question put to the user, shared by the requests waiting on its answer. */
interface Question {
  readonly answer: Promise<boolean>;
  /** Aborts the question's signal: nobody waits for the answer any more. */
  readonly withdraw: AbortController;
  /** Requests still waiting on the answer. */
  waiting: number;
  settled: boolean;
}

/** Decides, once per session, whether a cloud target may be called. */
export class ConsentGate {
  private question: Question | undefined;

  constructor(private readonly options: ConsentOptions) {}

  get policy(): CloudPolicy {
    return this.options.offline ? "never" : this.options.policy;
  }

  /**
   * Resolves to undefined when allowed, or the error explaining the refusal: an `aborted` one when
   * `signal` aborts while the user is being asked. The question stays up while other requests wait
   * on it; when the last of them has gone it is withdrawn, and asked again next time.
   */
  async check(target: string, signal?: AbortSignal): Promise<WrenError | undefined> {
    const policy = this.policy;
    if (policy === "allow") return undefined;
    if (this.options.offline) {
      // --offline wins over any policy: allowing cloud use in config would change nothing.
      return new WrenError("forbidden", `Cloud use is off (--offline): ${target} was not called.`, {
        hint: `Drop --offline to let wren reach ${target}.`,
      });
    }
    if (policy === "never") {
      return new WrenError("forbidden", `Cloud use is off: ${target} was not called.`, {
        hint: 'Allow it with `router.cloud = "allow"` (or "ask") in config.',
      });
    }
    if (!this.options.ask) {
      return new WrenError("forbidden", `Cloud use needs consent: ${target} was not called.`, {
        hint: this.options.noAskHint ?? 'Set `router.cloud = "allow"` in the server\'s config to let it use cloud providers.',
      });
    }
    if (signal?.aborted) return cancelled();
    const question = (this.question ??= askQuestion(this.options.ask, target));
    question.waiting += 1;
    let allowed: boolean;
    try {
      allowed = await (signal ? untilAborted(question.answer, signal) : question.answer);
    } catch (error) {
      question.waiting -= 1;
      if (signal?.aborted) {
        // This request went away; the others waiting keep the question up. It is taken down (and
        // asked again next time) only when nobody waits for it: whatever the asker then settles to
        // (a dialog taken down says no) is not the user's answer, and nobody hears it.
        if (question.waiting === 0 && !question.settled) this.forget(question);
        return cancelled();
      }
      // No answer (the terminal went away): refused, fail closed, and asked again next time.
      this.forget(question);
      const why = error instanceof Error ? error.message : String(error);
      return new WrenError("forbidden", `Cloud use could not be confirmed (${why}): ${target} was not called.`, {
        hint: 'Answer the question when wren asks, or set `router.cloud = "allow"`.',
        cause: error,
      });
    }
    question.waiting -= 1;
    if (signal?.aborted) return cancelled();
    return allowed
      ? undefined
      : new WrenError("forbidden", `Cloud use was declined for this session: ${target} was not called.`, {
          hint: 'Start a new session to be asked again, or set `router.cloud = "allow"`.',
        });
  }

  /** Drops the question so that the next request asks again, and takes it down if still up. */
  private forget(question: Question): void {
    if (this.question === question) this.question = undefined;
    question.withdraw.abort(new WrenError("aborted", "Nobody waits for the answer about cloud use any more."));
  }
}

function askQuestion(ask: NonNullable<ConsentOptions["ask"]>, target: string): Question {
  const withdraw = new AbortController();
  const question: Question = { answer: ask(target, withdraw.signal), withdraw, waiting: 0, settled: false };
  const settle = (): void => {
    question.settled = true;
  };
  question.answer.then(settle, settle);
  return question;
}

function cancelled(): WrenError {
  return new WrenError("aborted", "The request was cancelled while wren asked about cloud use.");
}
