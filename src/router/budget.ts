import { WrenError } from "../shared/errors.js";
import type { Clock } from "./clock.js";
import { periodWindow, type BudgetPeriod } from "./budget-period.js";
import type { StateStore } from "./state/state-store.js";

/** What happens to a request a budget refuses: it is refused (429), or the local model answers it. */
export type OnBudgetExceeded = "refuse" | "local";

/** One spend limit. Without `provider` or `key` it caps all priced spend. */
export interface BudgetLimit {
  /** USD the period may spend. */
  usd: number;
  period: BudgetPeriod;
  /** Only spend on this provider (`openai`, `anthropic`, …). */
  provider?: string | undefined;
  /** Only spend of the client with this key id (a name in `server.keys`). */
  key?: string | undefined;
  /** This budget's own policy when it refuses a request. Default: the router's (`router.onBudgetExceeded`). */
  onExceeded?: OnBudgetExceeded | undefined;
}

/** A budget's refusal: 429 saying which budget, and that budget's own policy, if it has one. */
export class BudgetExceeded extends WrenError {
  constructor(
    message: string,
    options: { hint: string; retryAfter: number },
    readonly onExceeded: OnBudgetExceeded | undefined,
  ) {
    super("rate_limited", message, options);
  }
}

/** Where the spend goes: the provider called, and for whom. */
export interface SpendScope {
  provider: string;
  /** The key id of the client the request is for; absent, no per-key limit applies. */
  keyId?: string | undefined;
}

/** Spend held for one request until its actual cost is known. */
export interface Reservation {
  settle(actualUsd: number): Promise<void>;
}

/** A limit as `/metrics` and `wren router stats` show it. */
export interface BudgetStatus {
  name: string;
  period: BudgetPeriod;
  /** The client key id of a per-key budget. */
  key?: string | undefined;
  limitUsd: number;
  spentUsd: number;
  remainingUsd: number;
  resetsAt: string;
}

/** `day:openai`, `month:*`, `day:*@alice`: how messages, `/metrics` and the store's keys name a budget. */
export const budgetName = (limit: BudgetLimit): string => `${limit.period}:${limit.provider ?? "*"}${limit.key === undefined ? "" : `@${limit.key}`}`;

/** Whether spend in `scope` counts against `limit`. */
export function applies(limit: BudgetLimit, scope: SpendScope): boolean {
  return (limit.provider === undefined || limit.provider === scope.provider) && (limit.key === undefined || limit.key === scope.keyId);
}

/**
 * Spend limits over a state store. A request reserves its largest possible cost on every limit
 * that applies before it is sent, atomically per limit, and settles to its actual cost after; a
 * reservation that would pass a limit is refused, so replicas sharing the store cannot overspend.
 */
export class Budgets {
  constructor(
    private readonly limits: BudgetLimit[],
    private readonly store: StateStore,
    private readonly clock: Pick<Clock, "now">,
  ) {}

  get configured(): boolean {
    return this.limits.length > 0;
  }

  private applying(scope: SpendScope) {
    const now = this.clock.now();
    return this.limits
      .filter((l) => applies(l, scope))
      .map((limit) => {
        const window = periodWindow(limit.period, now);
        const name = budgetName(limit);
        return { limit, window, name, key: `budget:${name}:${window.id}`, ttlMs: window.resetsAt - now + 60_000 };
      });
  }

  /** Holds `estimateUsd` on every limit that applies, or says which limit it would pass. */
  async reserve(scope: SpendScope, estimateUsd: number): Promise<Reservation | WrenError> {
    const held: Array<{ key: string; ttlMs: number }> = [];
    for (const entry of this.applying(scope)) {
      const result = await this.store.addWithin(entry.key, estimateUsd, entry.limit.usd, entry.ttlMs).catch(async (error: unknown) => {
        await this.release(held, estimateUsd);
        throw error;
      });
      if (!result.ok) {
        await this.release(held, estimateUsd);
        return exceeded(entry.name, entry.limit, result.value, estimateUsd, entry.window.resetsAt, this.clock.now());
      }
      held.push({ key: entry.key, ttlMs: entry.ttlMs });
    }
    return {
      settle: async (actualUsd: number) => {
        const delta = actualUsd - estimateUsd;
        if (delta !== 0) for (const h of held) await this.store.add(h.key, delta, h.ttlMs);
      },
    };
  }

  private async release(held: Array<{ key: string; ttlMs: number }>, usd: number): Promise<void> {
    for (const h of held) await this.store.add(h.key, -usd, h.ttlMs).catch(() => undefined);
  }

  /** Every limit as it stands now. */
  async status(): Promise<BudgetStatus[]> {
    const now = this.clock.now();
    const out: BudgetStatus[] = [];
    for (const limit of this.limits) {
      const window = periodWindow(limit.period, now);
      const name = budgetName(limit);
      const spent = await this.store.get(`budget:${name}:${window.id}`);
      out.push({ name, period: limit.period, ...(limit.key === undefined ? {} : { key: limit.key }), limitUsd: limit.usd, spentUsd: spent, remainingUsd: Math.max(0, limit.usd - spent), resetsAt: new Date(window.resetsAt).toISOString() });
    }
    return out;
  }
}

function exceeded(name: string, limit: BudgetLimit, spent: number, estimate: number, resetsAt: number, now: number): BudgetExceeded {
  const period = limit.period === "day" ? "daily" : "monthly";
  const scope =
    limit.key === undefined
      ? `${limit.provider ? `${limit.provider}'s` : "the"} ${period} budget`
      : `the ${period} budget of client key '${limit.key}'${limit.provider ? ` on ${limit.provider}` : ""}`;
  // 429 with retry-after, as OpenAI answers an exhausted quota: clients know it, and it says when to come back.
  return new BudgetExceeded(
    `This request (up to $${estimate.toFixed(4)}) would pass ${scope} (${name}) of $${limit.usd} ($${spent.toFixed(4)} spent); it resets at ${new Date(resetsAt).toISOString()}.`,
    {
      hint: 'Wait for the reset, raise the limit in [[router.budgets]], ask for fewer output tokens, or set onExceeded = "local" on the budget (or router.onBudgetExceeded) to answer with the local model instead.',
      retryAfter: Math.max(1, Math.ceil((resetsAt - now) / 1000)),
    },
    limit.onExceeded,
  );
}
