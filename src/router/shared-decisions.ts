import os from "node:os";
import { z } from "zod";
import type { Decision, DecisionLog, RouterStats } from "./decisions.js";
import type { SharedLog } from "./state/state-store.js";

/** The shared log's key, under the store's prefix. */
const key = "decisions";

// What replicas wrote is checked before it is served: another version, or another program sharing
// the prefix, must not put a malformed entry into /v1/router/decisions.
const entrySchema = z.looseObject({
  id: z.number(),
  at: z.string(),
  route: z.string(),
  requestedModel: z.string(),
  outcome: z.enum(["ok", "error"]),
  attempts: z.array(z.looseObject({ target: z.string(), outcome: z.string(), ms: z.number() })),
  costUsd: z.number(),
  ms: z.number(),
  replica: z.string().optional(),
});

/**
 * The newest `limit` decisions in the shared log, newest first, as every replica wrote them.
 * Throws (the store's `not_ready`) when the store cannot be reached.
 */
export async function readSharedDecisions(store: SharedLog, limit: number): Promise<Decision[]> {
  const out: Decision[] = [];
  for (const entry of await store.read(key, limit)) {
    try {
      const parsed = entrySchema.safeParse(JSON.parse(entry));
      if (parsed.success) out.push(parsed.data as Decision);
    } catch {
      // Not JSON: skipped, like a line cut short in the decisions file.
    }
  }
  return out;
}

/** This process as a replica: `host:pid` (in Kubernetes the host is the pod's name). */
export function replicaName(): string {
  return `${os.hostname()}:${process.pid}`;
}

/** Options of {@link SharedDecisionLog}. */
export interface SharedDecisionLogOptions {
  /** Names this replica on each of its decisions. Default {@link replicaName}. */
  replica?: string;
  /** About how many decisions (of all replicas together) the shared log keeps. */
  maxLength: number;
}

/**
 * The decision log of every replica together (through Redis): each decision this replica's
 * {@link DecisionLog} records is appended, naming the replica, and `list` reads the newest of all.
 * Totals (`stats`) stay per replica: they are counted since this process started, and summing
 * each replica's in `/metrics` is the scraper's job. While the store is unreachable, `list` shows
 * this replica's own decisions and appends are dropped.
 */
export class SharedDecisionLog {
  readonly replica: string;

  constructor(
    private readonly local: DecisionLog,
    private readonly store: SharedLog,
    private readonly options: SharedDecisionLogOptions,
  ) {
    this.replica = options.replica ?? replicaName();
  }

  /** Starts appending this replica's decisions; returns what stops it. */
  attach(): () => void {
    return this.local.subscribe((decision) => {
      // Routing never waits for, or fails because of, the shared log.
      this.store.append(key, JSON.stringify({ ...decision, replica: this.replica }), this.options.maxLength).catch(() => undefined);
    });
  }

  /** The newest `limit` decisions of all replicas, newest first. */
  async list(limit = 50): Promise<Decision[]> {
    try {
      return await readSharedDecisions(this.store, limit);
    } catch {
      return this.local.list(limit).map((d) => ({ ...d, replica: this.replica }));
    }
  }

  stats(): RouterStats {
    return this.local.stats();
  }
}
