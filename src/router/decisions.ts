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

/** Adds `decision` to `stats`: its request, outcome, cost and, under the target that answered, its usage. */
export function addDecision(stats: RouterStats, decision: Decision, fellBack: boolean): void {
  stats.requests++;
  if (decision.outcome === "error") stats.errors++;
  if (fellBack && decision.outcome === "ok") stats.fallbacks++;
  stats.costUsd += decision.costUsd;
  if (!decision.provider || !decision.model) return;
  const row = (stats.byTarget[`${decision.provider}:${decision.model}`] ??= { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, costUsd: 0 });
  row.requests++;
  if (decision.outcome === "error") row.errors++;
  row.inputTokens += decision.usage?.inputTokens ?? 0;
  row.outputTokens += decision.usage?.outputTokens ?? 0;
  row.cachedInputTokens += decision.usage?.cachedInputTokens ?? 0;
  row.cacheWriteInputTokens += decision.usage?.cacheWriteInputTokens ?? 0;
  row.costUsd += decision.costUsd;
}

/** The last N decisions (a ring buffer) and running totals since start. */
export class DecisionLog {
  private readonly ring: Decision[] = [];
  private next = 1;
  private readonly totals: RouterStats = { requests: 0, errors: 0, fallbacks: 0, costUsd: 0, byTarget: {} };
  private readonly listeners = new Set<(d: Decision) => void>();

  constructor(private readonly capacity = 200) {}

  nextId(): number {
    return this.next++;
  }

  record(decision: Decision): void {
    this.ring.push(decision);
    if (this.ring.length > this.capacity) this.ring.shift();
    addDecision(this.totals, decision, decision.attempts.some((a) => a.outcome !== "ok" && a.outcome !== "retried"));
    for (const listener of this.listeners) listener(decision);
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
