import { WrenError } from "../../shared/errors.js";
import { OpenAICompatibleModel } from "../openai-compatible/model.js";
import { AffinityTable } from "./affinity.js";
import { checkReplica, replicaHealthUrl } from "./health-url.js";
import type { PoolOptions } from "./options.js";
import { Replica, type ReplicaSnapshot } from "./replica.js";

/** A replica lent to one request; `release()` returns its slot (once). */
export interface ReplicaLease {
  replica: Replica;
  release(): void;
}

/**
 * The replicas of one pool and their state, shared by every model served through it: requests
 * outstanding per replica, health (ejected after failed checks or failed requests, admitted again
 * after passed checks) and which replica each conversation went to.
 */
export class ReplicaPool implements Disposable {
  readonly name: string;
  readonly replicas: Replica[];
  private readonly affinity: AffinityTable | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly headers: Record<string, string>;
  /** Replicas whose health check is still out: a round skips them rather than open another connection. */
  private readonly checking = new Set<Replica>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PoolOptions) {
    if (options.replicas.length === 0) {
      throw new WrenError("config_invalid", `Pool "${options.name}" has no replicas.`, {
        hint: `List its servers in router.providers.${options.name}.replicas, e.g. ["http://10.0.0.5:8000/v1"].`,
      });
    }
    this.name = options.name;
    const limit = options.maxConcurrent ?? Number.POSITIVE_INFINITY;
    this.replicas = options.replicas.map((url) => new Replica(url, limit));
    this.affinity = options.affinity === false ? undefined : new AffinityTable(options.affinityEntries ?? 10_000);
    this.headers = { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers };
  }

  /** Builds the client of one replica for one model. */
  modelFor(replica: Replica, modelId: string): OpenAICompatibleModel {
    return new OpenAICompatibleModel({
      provider: this.name,
      modelId,
      baseURL: replica.url,
      apiKey: this.options.apiKey,
      headers: this.options.headers,
      continuesFinalMessage: this.options.continueFinalMessage,
    });
  }

  /**
   * The replica for the next attempt: the conversation's own while it is healthy and has room, else
   * the healthy one with the fewest requests outstanding (the first listed on a tie). Waits for a
   * free slot when all are full (`whenFull = "queue"`).
   */
  async acquire(key: string | undefined, tried: ReadonlySet<Replica>, signal?: AbortSignal): Promise<ReplicaLease> {
    for (;;) {
      const candidates = this.replicas.filter((r) => r.healthy && !tried.has(r));
      if (candidates.length === 0) throw this.noneLeft(tried.size > 0);
      const replica = this.pick(key, candidates);
      if (replica) return this.lease(replica, key);
      if (this.options.whenFull === "reject") {
        throw new WrenError("overloaded", `Every replica of pool "${this.name}" is answering ${this.options.maxConcurrent} requests.`, {
          hint: `Retry shortly, raise router.providers.${this.name}.maxConcurrent, or add replicas.`,
          isRetryable: true,
          retryAfter: 1,
        });
      }
      await this.slotFreed(signal);
    }
  }

  private pick(key: string | undefined, candidates: Replica[]): Replica | undefined {
    const own = key === undefined ? undefined : this.affinity?.get(key);
    const mine = own === undefined ? undefined : candidates.find((r) => r.url === own && r.hasRoom);
    if (mine) return mine;
    let best: Replica | undefined;
    for (const r of candidates) if (r.hasRoom && (!best || r.outstanding < best.outstanding)) best = r;
    return best;
  }

  private lease(replica: Replica, key: string | undefined): ReplicaLease {
    replica.outstanding++;
    if (key !== undefined) this.affinity?.set(key, replica.url);
    let released = false;
    return {
      replica,
      release: () => {
        if (released) return;
        released = true;
        replica.outstanding--;
        this.wake();
      },
    };
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiters) resolve();
  }

  private slotFreed(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new WrenError("aborted", "The request was cancelled."));
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(done);
        reject(new WrenError("aborted", "The request was cancelled."));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.add(done);
    });
  }

  private noneLeft(afterFailures: boolean): WrenError {
    const ejected = this.replicas.filter((r) => !r.healthy).length;
    return new WrenError(
      "upstream_error",
      afterFailures
        ? `Every healthy replica of pool "${this.name}" failed this request (${ejected} of ${this.replicas.length} ejected).`
        : `No replica of pool "${this.name}" is healthy (${ejected} of ${this.replicas.length} ejected by failed health checks or requests).`,
      { hint: "Check the replicas' servers; ejected ones are admitted again once their health check passes.", isRetryable: true, status: 503 },
    );
  }

  /**
   * Counts how a request on `replica` ended: failures that say it is unwell (`countsAgainstReplica`)
   * in a row eject it, as failed health checks do, until a check passes again. Only while
   * background checks run: without them nothing would admit it again.
   */
  recordOutcome(replica: Replica, ok: boolean): void {
    const health = this.options.health ?? {};
    const ejectAfter = (health.intervalMs ?? 10_000) > 0 ? (health.ejectAfterFailures ?? 3) : 0;
    replica.recordRequest(ok, ejectAfter);
  }

  /**
   * One health check of every replica now; ejects and admits as the thresholds say. A replica whose
   * last check has not come back is left out: checks more frequent than their limit, against a
   * replica that accepts connections and never answers, would otherwise hold one more each.
   */
  async checkNow(): Promise<void> {
    const health = this.options.health ?? {};
    await Promise.all(
      this.replicas.map(async (replica) => {
        if (this.checking.has(replica)) return;
        const ejections = replica.ejections;
        this.checking.add(replica);
        let ok: boolean;
        try {
          ok = await checkReplica(replicaHealthUrl(replica.url, health.path), this.headers, AbortSignal.timeout(health.timeoutMs ?? 5000));
        } finally {
          this.checking.delete(replica);
        }
        // Failed requests ejected it while this check was under way: only a later check may admit it.
        if (replica.ejections !== ejections) return;
        if (replica.recordCheck(ok, health.unhealthyAfter ?? 2, health.healthyAfter ?? 1) && ok) this.wake();
      }),
    );
  }

  /** Starts the background health checks (unref'd timers: they never keep the process alive). */
  start(): void {
    const interval = this.options.health?.intervalMs ?? 10_000;
    if (this.timer || interval <= 0) return;
    this.timer = setInterval(() => void this.checkNow(), interval);
    this.timer.unref();
    void this.checkNow();
  }

  snapshot(): ReplicaSnapshot[] {
    return this.replicas.map((r) => r.snapshot());
  }

  [Symbol.dispose](): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
