/** A cheap check that a target is reachable: true when healthy. */
export type HealthProbe = (signal: AbortSignal) => Promise<boolean>;

export interface HealthCheckOptions {
  /** Between rounds, ms. Default 30000. */
  intervalMs?: number;
  /** One probe's limit, ms. Default 5000. */
  timeoutMs?: number;
}

/**
 * Probes targets in the background; a target whose last probe failed is skipped until a probe
 * succeeds again. Targets never probed count as healthy. Timers are unref'd: they never keep the
 * process alive.
 */
export class HealthChecker implements Disposable {
  private readonly healthy = new Map<string, boolean>();
  /** Targets whose probe is still out: a round skips them rather than open another connection. */
  private readonly probing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly probes: Map<string, HealthProbe>,
    private readonly options: HealthCheckOptions = {},
  ) {}

  /**
   * Stops probing `target` and forgets its health: the router lets go of a `provider:model` a client
   * named once it is past the ones it remembers, and its probe (a request to the provider, every
   * round) must go with it.
   */
  forget(target: string): void {
    this.probes.delete(target);
    this.healthy.delete(target);
  }

  isHealthy(target: string): boolean {
    return this.healthy.get(target) ?? true;
  }

  /**
   * One round of probes now. A target whose last probe has not come back is left out of it (its
   * health stays as it was): rounds more frequent than a probe's limit, against a target that
   * accepts connections and never answers, would otherwise hold one more connection each.
   */
  async checkNow(): Promise<void> {
    await Promise.all(
      [...this.probes].map(async ([target, probe]) => {
        if (this.probing.has(target)) return;
        this.probing.add(target);
        const signal = AbortSignal.timeout(this.options.timeoutMs ?? 5000);
        let ok: boolean;
        try {
          ok = await probe(signal);
        } catch {
          ok = false;
        } finally {
          this.probing.delete(target);
        }
        this.healthy.set(target, ok);
      }),
    );
  }

  start(): void {
    if (this.timer || this.probes.size === 0) return;
    this.timer = setInterval(() => void this.checkNow(), this.options.intervalMs ?? 30_000);
    this.timer.unref();
    void this.checkNow();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}

/** A probe that an HTTP endpoint answers at all (any status: the server is up and reachable). */
export function httpProbe(url: string): HealthProbe {
  return async (signal) => {
    const response = await fetch(url, { signal });
    await response.body?.cancel();
    return response.status < 500;
  };
}
