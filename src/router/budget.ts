import { ANONYMOUS_KEY_ID } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import type { Clock } from "./clock.js";
import { periodWindow, type BudgetPeriod, type PeriodWindow } from "./budget-period.js";
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
  /**
   * Only spend of the client with this key id (a name in `server.keys`); `*` ({@link EACH_KEY}):
   * each key id its own budget of this size, counted apart.
   */
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

/** `router.budgets[].key` that gives each client key a budget of its own. */
export const EACH_KEY = "*";

/** A client that sent no key spends no one's own budget: no `*` budget counts it. */
const NO_KEY = ANONYMOUS_KEY_ID;

/** `day:openai`, `month:*`, `day:*@alice`, `day:*@*`: how messages, `/metrics` and the config name a budget. */
export const budgetName = (limit: BudgetLimit): string => `${limit.period}:${limit.provider ?? "*"}${limit.key === undefined ? "" : `@${limit.key}`}`;

/**
 * The counter that `limit` keeps for `keyId`'s spend: the budget's own, or for a `*` budget the
 * key's (`day:*@alice`). A key's spend in a period on a provider is one quantity, so a `*` budget
 * and a budget naming the key count it in the same counter (never both at once: see {@link applying}).
 */
const counterName = (limit: BudgetLimit, keyId: string | undefined): string =>
  limit.key === EACH_KEY ? `${limit.period}:${limit.provider ?? "*"}@${keyId ?? NO_KEY}` : budgetName(limit);

/** The store's key of a counter in one period. */
const storeKey = (counter: string, windowId: string): string => `budget:${counter}:${windowId}`;

/** Whether spend in `scope` counts against `limit`, taken alone (see {@link applying} for a `*` budget next to a key's own). */
function applies(limit: BudgetLimit, scope: SpendScope): boolean {
  if (limit.provider !== undefined && limit.provider !== scope.provider) return false;
  if (limit.key === EACH_KEY) return scope.keyId !== undefined && scope.keyId !== NO_KEY;
  return limit.key === undefined || limit.key === scope.keyId;
}

/** Whether `other` is a budget of `keyId`'s own for the same period and provider as the `*` budget `each`. */
const ownInstead = (each: BudgetLimit, other: BudgetLimit, keyId: string | undefined): boolean =>
  other !== each && keyId !== undefined && other.key === keyId && other.period === each.period && other.provider === each.provider;

/** One limit that spend in a scope counts against, and the counter it is kept in for that scope's period. */
export interface AppliedBudget {
  limit: BudgetLimit;
  /** The budget's name (`day:*@*` for a `*` budget). */
  name: string;
  /** The period `nowMs` falls in. */
  window: PeriodWindow;
  /** The store's key of the counter. */
  key: string;
}

/**
 * The limits that spend in `scope` at `nowMs` counts against, each with its counter. A `*` budget
 * gives way to a budget the key has of its own for the same period and provider: that one is the
 * key's budget instead (so a key can be given more, or less, than every other key).
 */
export function applying(limits: readonly BudgetLimit[], scope: SpendScope, nowMs: number): AppliedBudget[] {
  return limits
    .filter((l) => applies(l, scope) && !(l.key === EACH_KEY && limits.some((other) => ownInstead(l, other, scope.keyId))))
    .map((limit) => {
      const window = periodWindow(limit.period, nowMs);
      return { limit, name: budgetName(limit), window, key: storeKey(counterName(limit, scope.keyId), window.id) };
    });
}

/** How many key ids a `*` budget's status lists from what this process counted, most recent kept. */
const SEEN_KEYS = 256;

/**
 * Spend limits over a state store. A request reserves its largest possible cost on every limit
 * that applies before it is sent, atomically per limit, and settles to its actual cost after; a
 * reservation that would pass a limit is refused, so replicas sharing the store cannot overspend.
 */
export class Budgets {
  /** Key ids this process counted against a `*` budget, least recently first: what its status lists. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly limits: BudgetLimit[],
    private readonly store: StateStore,
    private readonly clock: Pick<Clock, "now">,
  ) {}

  get configured(): boolean {
    return this.limits.length > 0;
  }

  /** Holds `estimateUsd` on every limit that applies, or says which limit it would pass. */
  async reserve(scope: SpendScope, estimateUsd: number): Promise<Reservation | WrenError> {
    const held: Array<{ key: string; ttlMs: number }> = [];
    const now = this.clock.now();
    const entries = applying(this.limits, scope, now);
    if (scope.keyId !== undefined && entries.some((e) => e.limit.key === EACH_KEY)) this.remember(scope.keyId);
    for (const entry of entries) {
      const ttlMs = entry.window.resetsAt - now + 60_000;
      const result = await this.store.addWithin(entry.key, estimateUsd, entry.limit.usd, ttlMs).catch(async (error: unknown) => {
        await this.release(held, estimateUsd);
        throw error;
      });
      if (!result.ok) {
        await this.release(held, estimateUsd);
        return exceeded(entry.name, entry.limit, scope.keyId, result.value, estimateUsd, entry.window.resetsAt, this.clock.now());
      }
      held.push({ key: entry.key, ttlMs });
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

  private remember(keyId: string): void {
    this.seen.delete(keyId);
    this.seen.add(keyId);
    if (this.seen.size > SEEN_KEYS) this.seen.delete(this.seen.values().next().value ?? keyId);
  }

  /**
   * Every limit as it stands now; a `*` budget once for each key id in `keyIds` and each this
   * process counted against it (sorted), leaving out keys with a budget of their own in its place.
   */
  async status(keyIds: Iterable<string> = []): Promise<BudgetStatus[]> {
    const now = this.clock.now();
    const out: BudgetStatus[] = [];
    const keys = [...new Set([...keyIds, ...this.seen])].sort();
    for (const limit of this.limits) {
      const window = periodWindow(limit.period, now);
      const name = budgetName(limit);
      const row = async (keyId: string | undefined): Promise<BudgetStatus> => {
        const spent = await this.store.get(storeKey(counterName(limit, keyId), window.id));
        const key = limit.key === EACH_KEY ? keyId : limit.key;
        return { name, period: limit.period, ...(key === undefined ? {} : { key }), limitUsd: limit.usd, spentUsd: spent, remainingUsd: Math.max(0, limit.usd - spent), resetsAt: new Date(window.resetsAt).toISOString() };
      };
      if (limit.key !== EACH_KEY) out.push(await row(undefined));
      else for (const keyId of keys) if (keyId !== NO_KEY && !this.limits.some((other) => ownInstead(limit, other, keyId))) out.push(await row(keyId));
    }
    return out;
  }
}

function exceeded(name: string, limit: BudgetLimit, keyId: string | undefined, spent: number, estimate: number, resetsAt: number, now: number): BudgetExceeded {
  const period = limit.period === "day" ? "daily" : "monthly";
  const whose = limit.key === EACH_KEY ? keyId : limit.key;
  const scope =
    whose === undefined
      ? `${limit.provider ? `${limit.provider}'s` : "the"} ${period} budget`
      : `the ${period} budget of client key '${whose}'${limit.provider ? ` on ${limit.provider}` : ""}`;
  // A `*` budget's name says it is every key's own size, not this key's alone.
  const named = limit.key === EACH_KEY ? `${name}, each key's own` : name;
  // 429 with retry-after, as OpenAI answers an exhausted quota: clients know it, and it says when to come back.
  return new BudgetExceeded(
    `This request (up to $${estimate.toFixed(4)}) would pass ${scope} (${named}) of $${limit.usd} ($${spent.toFixed(4)} spent); it resets at ${new Date(resetsAt).toISOString()}.`,
    {
      hint: 'Wait for the reset, raise the limit in [[router.budgets]], ask for fewer output tokens, or set onExceeded = "local" on the budget (or router.onBudgetExceeded) to answer with the local model instead.',
      retryAfter: Math.max(1, Math.ceil((resetsAt - now) / 1000)),
    },
    limit.onExceeded,
  );
}
