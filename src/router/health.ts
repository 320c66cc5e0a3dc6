/** A cheap check that a target is reachable: true when healthy. */
export type HealthProbe = (signal: AbortSignal) => Promise<boolean>;

export interface HealthCheckOptions {
  /** Between rounds, ms. Default 30000. */
  intervalMs?: number;
  /** One probe's limit, ms. Default 5000. */
  timeoutMs?: number;
}

/**
 * Probes endpoints in the background; a target whose endpoint's last probe failed is skipped until
 * a probe succeeds again. Targets never probed count as healthy. Targets that share an endpoint
 * (every `provider:model` of one provider: the same `/models` URL) share its one probe a round.
 * Timers are unref'd: they never keep the process alive.
 */
export class HealthChecker implements Disposable {
  /** One probe per endpoint, by its key (a health URL, or a target's own name). */
  private readonly probes = new Map<string, HealthProbe>();
  /** Each watched target's endpoint key. */
  private readonly endpointOf = new Map<string, string>();
  /** The targets reading each endpoint: its probe goes when the last of them is forgotten. */
  private readonly targetsOf = new Map<string, Set<string>>();
  private readonly healthy = new Map<string, boolean>();
  /** Endpoints whose probe is still out: a round skips them rather than open another connection. */
  private readonly probing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;

  /** `probes`: a probe per target, each its own endpoint. More come through {@link watch}. */
  constructor(
    probes: ReadonlyMap<string, HealthProbe> = new Map(),
    private readonly options: HealthCheckOptions = {},
  ) {
    for (const [target, probe] of probes) this.watch(target, target, probe);
  }

  /**
   * Has `target` read the health of `endpoint` (say, its provider's health URL), probed with
   * `probe` unless another target already watches that endpoint: a client naming 64 models of one
   * provider costs that provider one probe a round, not 64.
   */
  watch(target: string, endpoint: string, probe: HealthProbe): void {
    const previous = this.endpointOf.get(target);
    if (previous === endpoint) return;
    if (previous !== undefined) this.forget(target);
    this.endpointOf.set(target, endpoint);
    const targets = this.targetsOf.get(endpoint);
    if (targets) targets.add(target);
    else {
      this.targetsOf.set(endpoint, new Set([target]));
      this.probes.set(endpoint, probe);
    }
    if (this.started) this.start();
  }

  /**
   * Stops `target` reading its endpoint's health: the router lets go of a `provider:model` a client
   * named once it is past the ones it remembers. The endpoint's probe (a request to the provider,
   * every round) goes with its last target.
   */
  forget(target: string): void {
    const endpoint = this.endpointOf.get(target);
    if (endpoint === undefined) return;
    this.endpointOf.delete(target);
    const targets = this.targetsOf.get(endpoint);
    targets?.delete(target);
    if (targets?.size) return;
    this.targetsOf.delete(endpoint);
    this.probes.delete(endpoint);
    this.healthy.delete(endpoint);
  }

  isHealthy(target: string): boolean {
    const endpoint = this.endpointOf.get(target);
    return endpoint === undefined ? true : (this.healthy.get(endpoint) ?? true);
  }

  /**
   * One round of probes now, one per endpoint. An endpoint whose last probe has not come back is
   * left out of it (its health stays as it was): rounds more frequent than a probe's limit, against
   * a target that accepts connections and never answers, would otherwise hold one more connection each.
   */
  async checkNow(): Promise<void> {
    await Promise.all(
      [...this.probes].map(async ([endpoint, probe]) => {
        if (this.probing.has(endpoint)) return;
        this.probing.add(endpoint);
        const signal = AbortSignal.timeout(this.options.timeoutMs ?? 5000);
        let ok: boolean;
        try {
          ok = await probe(signal);
        } catch {
          ok = false;
        } finally {
          this.probing.delete(endpoint);
        }
        // A probe that came back after its endpoint's last target was forgotten leaves no entry behind.
        if (this.probes.has(endpoint)) this.healthy.set(endpoint, ok);
      }),
    );
  }

  /** Starts the rounds, now or once the first target is watched. */
  start(): void {
    this.started = true;
    if (this.timer || this.probes.size === 0) return;
    this.timer = setInterval(() => void this.checkNow(), this.options.intervalMs ?? 30_000);
    this.timer.unref();
    void this.checkNow();
  }

  stop(): void {
    this.started = false;
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
