/** What `/metrics` and `wren router stats` show of one replica. */
export interface ReplicaSnapshot {
  url: string;
  outstanding: number;
  healthy: boolean;
}

/** One server of a pool: the requests it is answering and its health. */
export class Replica {
  outstanding = 0;
  healthy = true;
  /** Consecutive checks that failed (while admitted) or passed (while ejected). */
  streak = 0;
  /** Consecutive requests that failed on it (see `countsAgainstReplica`); a success resets it. */
  failures = 0;
  /**
   * Bumped each time failed requests eject it: a health check that started before the ejection
   * saw the replica as it was then, so its pass must not admit it again.
   */
  ejections = 0;

  constructor(
    readonly url: string,
    readonly maxConcurrent: number,
  ) {}

  get hasRoom(): boolean {
    return this.outstanding < this.maxConcurrent;
  }

  /** Counts one health check; true when the replica's state changed. */
  recordCheck(ok: boolean, unhealthyAfter: number, healthyAfter: number): boolean {
    if (ok === this.healthy) {
      this.streak = 0;
      return false;
    }
    this.streak++;
    if (this.streak < (this.healthy ? unhealthyAfter : healthyAfter)) return false;
    this.healthy = ok;
    this.streak = 0;
    return true;
  }

  /** Counts one request's outcome; true when this failure ejected the replica (`ejectAfter` 0: never). */
  recordRequest(ok: boolean, ejectAfter: number): boolean {
    if (ok) {
      this.failures = 0;
      return false;
    }
    this.failures++;
    if (!this.healthy || ejectAfter <= 0 || this.failures < ejectAfter) return false;
    this.healthy = false;
    this.streak = 0;
    this.failures = 0;
    this.ejections++;
    return true;
  }

  snapshot(): ReplicaSnapshot {
    return { url: this.url, outstanding: this.outstanding, healthy: this.healthy };
  }
}
