import type { PermissionDecision, PermissionReply, PermissionRequest } from "./types.js";

/** One decision as the agent writes it to the transcript. */
export interface DecisionRecord {
  /** ISO 8601 time of the decision. */
  at: string;
  request: PermissionRequest;
  /** The final decision, with the rule(s) that made it. */
  decision: PermissionDecision;
  /** When the decision came from a person's answer, that answer. */
  reply?: PermissionReply;
}

/** Every permission decision of a session, in order. Holds data only; the agent prints or stores it. */
export class DecisionLog {
  readonly #entries: DecisionRecord[] = [];
  readonly #now: () => Date;

  /** @param now clock for the records' times (tests pass a fixed one). Default: the system clock. */
  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  record(request: PermissionRequest, decision: PermissionDecision, reply?: PermissionReply): DecisionRecord {
    const entry: DecisionRecord = { at: this.#now().toISOString(), request, decision };
    if (reply) entry.reply = reply;
    this.#entries.push(entry);
    return entry;
  }

  get entries(): readonly DecisionRecord[] {
    return this.#entries;
  }
}
