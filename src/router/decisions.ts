import type { Usage } from "../protocol/index.js";

/** What happened on one target during one request. */
export interface AttemptRecord {
  target: string;
  /** `ok`, `skipped`, `failed`, `retried` or `error-after-partial`. */
  outcome: "ok" | "skipped" | "failed" | "retried" | "error-after-partial";
  /** Why: a skip reason (`context`, `loading`, `consent`, `circuit-open`, `unhealthy`) or the error code. */
  detail?: string;
  status?: number;
  ms: number;
}

/** One routing decision: who answered, why, and what it cost. */
export interface Decision {
  id: number;
  /** ISO time the request arrived. */
  at: string;
  route: string;
  requestedModel: string;
  provider?: string;
  model?: string;
  reason?: string;
  /** The safety rule that matched, if one did. */
  safetyRule?: string;
  outcome: "ok" | "error";
  error?: string;
  attempts: AttemptRecord[];
  usage?: Usage;
  costUsd: number;
  ms: number;
  /** The key id of the client the request was for (never the key), when the server knew it: per-key budgets are summed by it. */
  keyId?: string;
  /** The wren replica that made it (`host:pid`), in a decision log that replicas share (`state.redis`). */
  replica?: string;
}

export interface ProviderTotals {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, those the answers state were read from a prompt cache (`Usage.cachedInputTokens`). */
  cachedInputTokens: number;
  /** Of `inputTokens`, those the answers state were written to a provider's prompt cache (`Usage.cacheWriteInputTokens`). */
  cacheWriteInputTokens: number;
  costUsd: number;
}

export interface RouterStats {
  requests: number;
  errors: number;
  fallbacks: number;
  costUsd: number;
  byTarget: Record<string, ProviderTotals>;
}

/** The `byTarget` row that totals the targets past {@link DecisionLog}'s bound on targets not configured. */
export const OTHER_TARGET = "other";

/**
 * How many targets besides the configured ones get totals of their own in a {@link DecisionLog}:
 * clients name `provider:model` targets freely, and each row is a few `/metrics` series.
 */
export const MAX_UNCONFIGURED_TARGETS = 64;

/** A target's turn in a request that ended in its failure (a retry on the same target is not its end). */
const failedAttempt = (attempt: AttemptRecord): boolean => attempt.outcome === "failed" || attempt.outcome === "error-after-partial";

function rowFor(stats: RouterStats, key: string): ProviderTotals {
  return (stats.byTarget[key] ??= { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, costUsd: 0 });
}

/**
 * Adds `decision` to `stats`: its request, outcome, cost and fallback, and per target (or the row
 * `rowOf` its key says instead) each target it was sent to. The target that answered (or was
 * answering when the request ended) counts the request, its usage and cost, and an error if the
 * request ended in one; every other target that failed in it counts a request and an error of its
 * own, so a target that fails behind a fallback, or when every target fails, shows in its row. The
 * request's totals count it once. Attempts are walked once, as the fallback count did before.
 */
export function addDecision(stats: RouterStats, decision: Decision, rowOf: (target: string) => string = (target) => target): void {
  stats.requests++;
  if (decision.outcome === "error") stats.errors++;
  stats.costUsd += decision.costUsd;
  const attempts = decision.attempts;
  const named = decision.provider !== undefined && decision.model !== undefined;
  // The decision names the target of its last attempt: that one counts through the decision.
  const others = named ? attempts.length - 1 : attempts.length;
  let fellBack = false;
  for (let i = 0; i < attempts.length; i++) {
    const attempt = attempts[i]!;
    if (attempt.outcome === "ok" || attempt.outcome === "retried") continue;
    fellBack = true;
    if (i < others && failedAttempt(attempt)) {
      const row = rowFor(stats, rowOf(attempt.target));
      row.requests++;
      row.errors++;
    }
  }
  if (fellBack && decision.outcome === "ok") stats.fallbacks++;
  if (!named) return;
  const row = rowFor(stats, rowOf(`${decision.provider}:${decision.model}`));
  row.requests++;
  if (decision.outcome === "error") row.errors++;
  row.inputTokens += decision.usage?.inputTokens ?? 0;
  row.outputTokens += decision.usage?.outputTokens ?? 0;
  row.cachedInputTokens += decision.usage?.cachedInputTokens ?? 0;
  row.cacheWriteInputTokens += decision.usage?.cacheWriteInputTokens ?? 0;
  row.costUsd += decision.costUsd;
}

/**
 * The last N decisions (a ring buffer) and running totals since start. Totals are kept per target
 * for the configured targets ({@link keepTargets}) and up to {@link MAX_UNCONFIGURED_TARGETS}
 * others, first come; the requests of any further target are totalled under {@link OTHER_TARGET}.
 */
export class DecisionLog {
  private readonly ring: Decision[] = [];
  private next = 1;
  private readonly totals: RouterStats = { requests: 0, errors: 0, fallbacks: 0, costUsd: 0, byTarget: {} };
  private readonly listeners = new Set<(d: Decision) => void>();
  /** Targets (`provider:model`) totalled apart whatever came before them: the configured ones. */
  private readonly kept = new Set<string>();
  private unconfigured = 0;
  private readonly rowOf = (target: string): string => {
    if (Object.hasOwn(this.totals.byTarget, target) || this.kept.has(target)) return target;
    if (this.unconfigured >= MAX_UNCONFIGURED_TARGETS) return OTHER_TARGET;
    this.unconfigured++;
    return target;
  };

  constructor(private readonly capacity = 200) {}

  nextId(): number {
    return this.next++;
  }

  record(decision: Decision): void {
    this.ring.push(decision);
    if (this.ring.length > this.capacity) this.ring.shift();
    addDecision(this.totals, decision, this.rowOf);
    for (const listener of this.listeners) listener(decision);
  }

  /** Marks `targets` (`provider:model`) as configured: each keeps totals of its own, outside the bound on the others. */
  keepTargets(targets: Iterable<string>): void {
    for (const target of targets) this.kept.add(target);
  }

  /** Most recent first. */
  list(limit = 50): Decision[] {
    return this.ring.slice(-limit).reverse();
  }

  stats(): RouterStats {
    return structuredClone(this.totals);
  }

  /** Called after every decision (e.g. to append it to a file for `wren router log`). */
  subscribe(listener: (d: Decision) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
