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
   * refused with a clear error until cloud use is allowed. `signal` is the asking request's: when
   * it aborts the gate stops waiting (and forgets the question), so the asker may take it down.
   */
  ask?: (target: string, signal?: AbortSignal) => Promise<boolean>;
  /**
   * With `ask` and nobody to ask: the hint of the refusal. Default: how to allow cloud use in the
   * server's config (the CLI says how to be asked instead).
   */
  noAskHint?: string;
}

/** Decides, once per session, whether a cloud target may be called. */
export class ConsentGate {
  private answer: Promise<boolean> | undefined;

  constructor(private readonly options: ConsentOptions) {}

  get policy(): CloudPolicy {
    return this.options.offline ? "never" : this.options.policy;
  }

  /**
   * Resolves to undefined when allowed, or the error explaining the refusal: an `aborted` one when
   * `signal` aborts while the user is being asked (the question is then asked again next time).
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
    const answer = (this.answer ??= this.options.ask(target, signal));
    let allowed: boolean;
    try {
      allowed = await (signal ? untilAborted(answer, signal) : answer);
    } catch (error) {
      // No answer (the terminal went away, the request was cancelled): refused, fail closed, and
      // asked again next time. An answer that comes with the cancel (a dialog taken down says no)
      // is not the user's either.
      if (this.answer === answer) this.answer = undefined;
      if (signal?.aborted) return cancelled();
      const why = error instanceof Error ? error.message : String(error);
      return new WrenError("forbidden", `Cloud use could not be confirmed (${why}): ${target} was not called.`, {
        hint: 'Answer the question when wren asks, or set `router.cloud = "allow"`.',
        cause: error,
      });
    }
    if (signal?.aborted) {
      if (!allowed && this.answer === answer) this.answer = undefined;
      return cancelled();
    }
    return allowed
      ? undefined
      : new WrenError("forbidden", `Cloud use was declined for this session: ${target} was not called.`, {
          hint: 'Start a new session to be asked again, or set `router.cloud = "allow"`.',
        });
  }
}

function cancelled(): WrenError {
  return new WrenError("aborted", "The request was cancelled while wren asked about cloud use.");
}
