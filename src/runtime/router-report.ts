import { existsSync, readFileSync } from "node:fs";
import type { Decision, RouterStats } from "../router/decisions.js";
import { statsOf } from "../router/report.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { loadConfig, type WrenConfig } from "../config/index.js";
import { applying, Budgets, type BudgetStatus } from "../router/budget.js";
import { periodWindow } from "../router/budget-period.js";
import { systemClock } from "../router/clock.js";
import { MemoryStateStore } from "../router/state/memory-store.js";
import { RedisStateStore } from "../router/state/redis-store.js";
import { readSharedDecisions } from "../router/shared-decisions.js";
import { WrenError } from "../shared/errors.js";
import { decisionsFilePath } from "./router.js";

/**
 * Decisions recorded by every wren process on this machine, newest first. Each process numbers its
 * own decisions from 1, so here they are numbered again in the order the log holds them (oldest 1),
 * and `#N` names one decision in `wren router log` whichever process made it.
 */
export function readDecisions(env: Env = process.env): Decision[] {
  const file = decisionsFilePath(resolvePaths(env).stateDir);
  const out: Decision[] = [];
  for (const part of [`${file}.1`, file]) {
    if (!existsSync(part)) continue;
    for (const line of readFileSync(part, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as Decision);
      } catch {
        // A line cut by a crash is skipped; the rest of the log still reads.
      }
    }
  }
  return out.map((decision, index) => ({ ...decision, id: index + 1 })).reverse();
}

/**
 * The decisions `wren router log` and `stats` show: with `state.redis`, every replica's from the
 * shared log (numbered again like {@link readDecisions}), else this machine's.
 */
async function decisionsFor(config: WrenConfig, env: Env): Promise<Decision[]> {
  const url = config.state.redis;
  if (!url) return readDecisions(env);
  const store = await RedisStateStore.connect({ url, keyPrefix: config.state.keyPrefix, timeoutMs: config.state.timeoutMs });
  try {
    const shared = await readSharedDecisions(store.log, 10_000);
    return shared.reverse().map((decision, index) => ({ ...decision, id: index + 1 })).reverse();
  } catch (error) {
    throw new WrenError("not_ready", `Cannot read the decision log the replicas share: the Redis server at state.redis (${new URL(url).host}) is unreachable.`, {
      hint: "Start it (or check state.redis), or unset WREN_STATE_REDIS for this command to read this machine's own log.",
      isRetryable: true,
      cause: error,
    });
  } finally {
    await store.close();
  }
}

/** What `wren router log` and `stats` print (cli/router-tables.ts). */
export type { BudgetStatus, Decision, RouterStats };

/** `wren router log`: the newest `limit` decisions, every replica's with `state.redis`, else this machine's. */
export async function routerLog(limit: number, env: Env = process.env): Promise<Decision[]> {
  const { config } = await loadConfig({ env });
  return (await decisionsFor(config, env)).slice(0, limit);
}

/** `wren router stats`: totals, and what is left of each budget when `router.budgets` is set. */
export async function routerStats(env: Env = process.env): Promise<RouterStats & { budgets?: BudgetStatus[] }> {
  const { config } = await loadConfig({ env });
  const decisions = await decisionsFor(config, env);
  const stats = statsOf(decisions);
  return config.router.budgets.length > 0 ? { ...stats, budgets: await budgetStatus(config, decisions) } : stats;
}

/**
 * Budgets as they stand: read from Redis when replicas share one (`state.redis`), else summed from
 * this machine's decision log over each budget's current period (what its servers counted).
 */
async function budgetStatus(config: WrenConfig, decisions: Decision[]): Promise<BudgetStatus[]> {
  // A `*` budget is listed for each configured key and each key the decisions name.
  const keyIds = [...config.server.keys.map((k) => k.name), ...decisions.flatMap((d) => (d.keyId === undefined ? [] : [d.keyId]))];
  if (config.state.redis) {
    const store = await RedisStateStore.connect({ url: config.state.redis, keyPrefix: config.state.keyPrefix, timeoutMs: config.state.timeoutMs });
    try {
      return await new Budgets(config.router.budgets, store, systemClock).status(keyIds);
    } finally {
      await store.close();
    }
  }
  const store = new MemoryStateStore(systemClock);
  const now = systemClock.now();
  for (const d of decisions) {
    if (d.costUsd <= 0 || !d.provider) continue;
    // Counted as the servers counted it: in the counters of the budgets that applied, in its period.
    for (const entry of applying(config.router.budgets, { provider: d.provider, keyId: d.keyId }, Date.parse(d.at))) {
      const current = periodWindow(entry.limit.period, now);
      if (entry.window.id === current.id) await store.add(entry.key, d.costUsd, current.resetsAt - now);
    }
  }
  return new Budgets(config.router.budgets, store, systemClock).status(keyIds);
}
