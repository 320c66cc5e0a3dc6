import type { PeerSource, PeerView } from "../providers/peer/index.js";
import { timeoutAbortController } from "../shared/abort.js";
import { toWrenError } from "../shared/errors.js";
import { isLoopbackHost } from "../shared/loopback.js";
import type { PeerInfo } from "../wire/peer/info.js";
import { Browser, type FoundService } from "./browse.js";
import { keyFingerprint } from "./fingerprint.js";
import { fetchPeerInfo } from "./info-client.js";
import type { MdnsOptions } from "./mdns.js";

/** A peer's info fetch gives up after this long. */
const PEER_INFO_TIMEOUT_MS = 10_000;

/**
 * How long an address a name was heard from counts as that name's: the TTL of wren's records. A
 * name heard from two hosts within it is not called at either (see {@link PeerDirectory}).
 */
export const PEER_HEARD_MS = 120_000;

/** The most addresses remembered per name: two already make it unusable (spoofed sources must not grow memory). */
const PEER_ADDRESSES_MAX = 8;

/** The most peers kept: names past it are not taken until older ones go quiet (the network can announce any number). */
export const PEER_DIRECTORY_MAX = 256;

/** A peer as `wren peers list` shows it: what discovery heard, and what the peer said of itself. */
export interface PeerEntry {
  name: string;
  url: string;
  /** The key fingerprints match (or a per-peer key is set): wren may call it. */
  keyMatches: boolean;
  info: PeerInfo | undefined;
  /** Why the last info fetch failed, or why the peer is not called at all. */
  problem: string | undefined;
  /** Milliseconds since the epoch when it was last heard. */
  lastSeen: number;
}

/** Options of {@link PeerDirectory}. */
export interface PeerDirectoryOptions extends MdnsOptions {
  /** This server's own name, left out of the list (multicast loopback lets it hear itself). */
  self?: string | undefined;
  /** The shared key. */
  key?: string | undefined;
  /** Per-peer keys by name, used instead of `key`. */
  keys?: Record<string, string>;
  /** Between queries and info refreshes. Default 10 s; 0: query once, refresh on demand. */
  refreshMs?: number;
  /**
   * `--offline` / `router.offline`: only peers on this machine's loopback are asked for info or
   * offered; others are listed with that reason and never called. Default false.
   */
  offline?: boolean | undefined;
  /** The most peers kept. Default {@link PEER_DIRECTORY_MAX}. */
  maxPeers?: number;
}

/**
 * The peers on the network: an mDNS browser, and each peer's `/v1/peer/info` fetched with the key
 * when it is first heard and on every refresh. It is the {@link PeerSource} of `peer:` targets.
 *
 * What the network says is not trusted: a name heard from a second host while the first still
 * answers (within {@link PEER_HEARD_MS}) is called at neither, since anyone can copy an
 * advertisement and its fingerprint; a withdrawal counts only from the address the peer was heard
 * at; and at most {@link PEER_DIRECTORY_MAX} peers are kept.
 */
export class PeerDirectory implements PeerSource, AsyncDisposable {
  readonly #options: PeerDirectoryOptions;
  readonly #entries = new Map<string, PeerEntry>();
  /** Per name: each address it was heard from, and when last. */
  readonly #heardFrom = new Map<string, Map<string, number>>();
  readonly #fetching = new Map<string, Promise<void>>();
  readonly #browser: Browser;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #abort = new AbortController();
  #changed: Array<() => void> = [];

  constructor(options: PeerDirectoryOptions) {
    this.#options = options;
    this.#browser = new Browser({ ...options, onFound: (s) => this.#heard(s), onGone: (name, address) => this.#gone(name, address) });
    this.#browser.query();
    const every = options.refreshMs ?? 10_000;
    if (every > 0) {
      this.#timer = setInterval(() => void this.refresh(), every);
      this.#timer.unref();
    }
  }

  #keyFor(name: string): string | undefined {
    // Own keys only: a peer named "constructor" must not get Object's as its key.
    const keys = this.#options.keys;
    return (keys && Object.hasOwn(keys, name) ? keys[name] : undefined) ?? this.#options.key;
  }

  #heard(service: FoundService): void {
    if (service.name === this.#options.self) return;
    const now = Date.now();
    if (!this.#entries.has(service.name) && !this.#roomFor(now)) return;
    const url = `http://${service.address.includes(":") ? `[${service.address}]` : service.address}:${service.port}`;
    const addresses = this.#heardFrom.get(service.name) ?? new Map<string, number>();
    addresses.delete(service.address);
    addresses.set(service.address, now);
    for (const [address, at] of addresses) if (now - at > PEER_HEARD_MS || addresses.size > PEER_ADDRESSES_MAX) addresses.delete(address);
    this.#heardFrom.set(service.name, addresses);
    const previous = this.#entries.get(service.name);
    if (addresses.size > 1) {
      // Two hosts answer for one name: either may be the impostor, so neither is called (nor switched to).
      const hosts = [...addresses.keys()].sort().join(", ");
      this.#entries.set(service.name, {
        name: service.name,
        url: previous?.url ?? url,
        keyMatches: false,
        info: undefined,
        problem: `more than one host advertises the name "${service.name}" (${hosts}), so it is called at none of them; one of them is not that peer (or it moved: wait ${PEER_HEARD_MS / 1000} s)`,
        lastSeen: now,
      });
      return this.#notify();
    }
    const key = this.#keyFor(service.name);
    // Every wren server advertises its key's fingerprint: one that does not is not sent the key.
    const fingerprintMatches = key !== undefined && service.fingerprint !== undefined && service.fingerprint === keyFingerprint(key);
    const offBounds = this.#options.offline === true && !isLoopbackHost(service.address);
    const keyMatches = fingerprintMatches && !offBounds;
    const problem =
      offBounds ? "not called: wren runs offline (--offline or router.offline), and this peer is beyond this machine's loopback"
      : key === undefined ? "no key set (peers.key)"
      : service.fingerprint === undefined ? "it advertises no key fingerprint, so it is not sent this machine's key"
      : "its key differs from this machine's";
    const entry: PeerEntry = {
      name: service.name,
      url,
      keyMatches,
      info: previous?.url === url && previous.keyMatches ? previous.info : undefined,
      problem: keyMatches ? (previous?.keyMatches ? previous.problem : undefined) : problem,
      lastSeen: now,
    };
    this.#entries.set(service.name, entry);
    if (keyMatches && (!previous || previous.url !== url || !previous.info)) void this.#fetch(entry);
    else this.#notify();
  }

  /** Whether a new name may be kept: past the bound, peers not heard within {@link PEER_HEARD_MS} make room (a flood does not push out peers already known). */
  #roomFor(now: number): boolean {
    const max = this.#options.maxPeers ?? PEER_DIRECTORY_MAX;
    if (this.#entries.size < max) return true;
    for (const [name, entry] of this.#entries) {
      if (now - entry.lastSeen <= PEER_HEARD_MS) continue;
      this.#entries.delete(name);
      this.#heardFrom.delete(name);
    }
    return this.#entries.size < max;
  }

  #gone(name: string, address: string): void {
    const addresses = this.#heardFrom.get(name);
    // Only the host a name was heard from withdraws it: anyone can send a withdrawal.
    if (!addresses?.delete(address)) return;
    if (addresses.size > 0) {
      // The name may be one host's again: have it answer, rather than wait for the next refresh.
      return this.#browser.query();
    }
    this.#heardFrom.delete(name);
    if (this.#entries.delete(name)) this.#notify();
  }

  #fetch(entry: PeerEntry): Promise<void> {
    const running = this.#fetching.get(entry.name);
    if (running) return running;
    const key = this.#keyFor(entry.name);
    const done = (async () => {
      try {
        if (key === undefined) return;
        using timeout = timeoutAbortController(PEER_INFO_TIMEOUT_MS, `Peer ${entry.url} did not answer within ${PEER_INFO_TIMEOUT_MS / 1000} s.`, this.#abort.signal);
        const info = await fetchPeerInfo(entry.url, key, timeout.signal);
        const current = this.#entries.get(entry.name);
        // Its proven info names it: info another key holder proved, passed on by a host advertising another name, is not that name's.
        const problem = info.name === entry.name ? undefined : `its info calls itself "${info.name}", not "${entry.name}" as it advertises, so it is not used (a host passing on another peer's answers)`;
        if (current?.url === entry.url && current.keyMatches) this.#entries.set(entry.name, { ...current, info: problem ? undefined : info, problem });
      } catch (error) {
        const current = this.#entries.get(entry.name);
        if (current?.url === entry.url && current.keyMatches) this.#entries.set(entry.name, { ...current, problem: toWrenError(error).message });
      } finally {
        this.#fetching.delete(entry.name);
        this.#notify();
      }
    })();
    this.#fetching.set(entry.name, done);
    return done;
  }

  #notify(): void {
    const waiting = this.#changed;
    this.#changed = [];
    waiting.forEach((resolve) => resolve());
  }

  /** Asks the network for peers again and every known peer for fresh info. */
  async refresh(): Promise<void> {
    this.#browser.query();
    await Promise.all([...this.#entries.values()].filter((e) => e.keyMatches).map((e) => this.#fetch(e)));
  }

  /** Every peer heard, with what is known of it. */
  entries(): PeerEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * The peers `peer:` targets see: those whose info came with the key, and, unhealthy and with why,
   * those heard that cannot be used (no key, another key, no answer), so a request names the reason.
   */
  list(): PeerView[] {
    const views: PeerView[] = [];
    for (const entry of this.entries()) {
      const key = this.#keyFor(entry.name);
      if (!entry.info || !entry.keyMatches || key === undefined) {
        const problem = entry.problem ?? "it has not answered yet";
        views.push({ name: entry.name, url: entry.url, key: "", models: [], inFlight: 0, healthy: false, problem });
        continue;
      }
      views.push({
        name: entry.name,
        url: entry.url,
        key,
        models: entry.info.models.map((m) => ({ id: m.id, contextLength: m.contextLength ?? undefined, sizeBytes: m.sizeBytes ?? undefined })),
        inFlight: entry.info.load?.inFlight ?? 0,
        healthy: entry.problem === undefined && entry.info.health !== "degraded",
        problem: entry.problem,
      });
    }
    return views;
  }

  /**
   * Resolves once `ready()` holds, asking the network again each `everyMs` meanwhile; rejects at
   * the deadline (no fixed sleeps: a reply ends the wait as soon as it comes).
   */
  async waitUntil(ready: () => boolean, deadlineMs: number, everyMs = 1000): Promise<boolean> {
    const end = Date.now() + deadlineMs;
    while (!ready()) {
      const left = end - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(everyMs, left));
        this.#changed.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!ready()) this.#browser.query();
    }
    return true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#abort.abort();
    await Promise.allSettled(this.#fetching.values());
    await this.#browser[Symbol.asyncDispose]();
  }
}
