import type { Logger } from "pino";
import type { WrenConfig } from "../config/index.js";
import type { ClientIdentity } from "../protocol/index.js";
import type { BudgetStatus } from "../router/budget.js";
import { systemClock } from "../router/clock.js";
import { RateLimiter } from "../router/rate-limit.js";
import { MemoryStateStore } from "../router/state/memory-store.js";
import { RedisStateStore } from "../router/state/redis-store.js";
import type { StateStore } from "../router/state/state-store.js";
import type { WrenError } from "../shared/errors.js";

/**
 * The state store `[state]` asks for: Redis when `state.redis` is set (shared by replicas), else
 * in-process. A Redis that is down, or does not answer a command within `state.timeoutMs`, is
 * logged once per outage; meanwhile limits fail closed.
 */
export async function openStateStore(state: WrenConfig["state"] | undefined, logger: Logger): Promise<StateStore> {
  if (!state?.redis) return new MemoryStateStore(systemClock);
  const host = new URL(state.redis).host;
  return RedisStateStore.connect({
    url: state.redis,
    keyPrefix: state.keyPrefix,
    timeoutMs: state.timeoutMs,
    onStatus: ({ up, error, hint, answered }) => {
      if (up) logger.info({ redis: host }, "shared state: connected to Redis");
      else if (answered) {
        logger.error({ redis: host, error, hint }, "shared state: Redis refuses wren's commands; until it takes them, requests that need a rate limit or budget are refused (503), and circuit breakers and the decision log are this replica's own");
      } else logger.error({ redis: host, error }, "shared state: Redis is unreachable; until it is back, requests that need a rate limit or budget are refused (503), and circuit breakers and the decision log are this replica's own");
    },
  });
}

/** `router.rateLimit` as the server's per-request check, counted per client key id, or undefined when none is set. */
export function rateLimitCheck(config: WrenConfig["router"] | undefined, store: StateStore): ((client: ClientIdentity) => Promise<WrenError | undefined>) | undefined {
  const limit = config?.rateLimit;
  if (!limit) return undefined;
  const limiter = new RateLimiter(limit, store, systemClock);
  return (client) => limiter.admit(client.keyId);
}

/** Remaining budget as Prometheus gauges; a per-key budget's also carry its client's key id (`key`). */
export function budgetMetricsText(statuses: BudgetStatus[]): string {
  if (statuses.length === 0) return "";
  const labels = (s: BudgetStatus): string => `budget="${s.name}"${s.key === undefined ? "" : `,key="${s.key}"`}`;
  const lines = [
    "# HELP wren_budget_remaining_usd Spend left in a budget's current period (shared across replicas with state.redis).",
    "# TYPE wren_budget_remaining_usd gauge",
    ...statuses.map((s) => `wren_budget_remaining_usd{${labels(s)}} ${s.remainingUsd}`),
    "# HELP wren_budget_limit_usd A budget's limit per period.",
    "# TYPE wren_budget_limit_usd gauge",
    ...statuses.map((s) => `wren_budget_limit_usd{${labels(s)}} ${s.limitUsd}`),
  ];
  return `${lines.join("\n")}\n`;
}
