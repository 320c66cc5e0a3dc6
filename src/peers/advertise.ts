import type { Answer } from "dns-packet";
import { instanceName, openMdns, SERVICE_TYPE, type MdnsOptions } from "./mdns.js";

/** What a wren server announces about itself: never its key, only the key's fingerprint. */
export interface Advertisement {
  /** Its name among peers (the DNS-SD instance name). */
  name: string;
  /** The port its HTTP server listens on. */
  port: number;
  /** {@link keyFingerprint} of its key. */
  fingerprint: string;
  version: string;
}

/** The PTR, SRV and TXT records of one advertisement; `ttl` 0 withdraws them. */
export function serviceRecords(ad: Advertisement, ttl = 120): Answer[] {
  const instance = instanceName(ad.name);
  return [
    { name: SERVICE_TYPE, type: "PTR", ttl, data: instance },
    { name: instance, type: "SRV", ttl, data: { port: ad.port, target: `${ad.name}.local`, priority: 0, weight: 0 } },
    { name: instance, type: "TXT", ttl, data: [`name=${ad.name}`, `port=${ad.port}`, `fp=${ad.fingerprint}`, `v=${ad.version}`] },
  ];
}

/**
 * Announces a wren server over mDNS/DNS-SD: answers every query for `_wren._tcp.local` or its
 * instance, announces itself when it starts (so peers learn of it without asking), and withdraws
 * its records (TTL 0) when disposed.
 */
export class Advertiser implements AsyncDisposable {
  readonly #mdns;
  readonly #ad: Advertisement;

  constructor(ad: Advertisement, options: MdnsOptions = {}) {
    this.#ad = ad;
    this.#mdns = openMdns(options);
    const instance = instanceName(ad.name);
    this.#mdns.on("query", (query) => {
      if (query.questions.some((q) => q.name === SERVICE_TYPE || q.name === instance)) this.#mdns.respond(serviceRecords(ad));
    });
    // A socket error (the port taken without SO_REUSEADDR, no multicast route) must not end the server.
    this.#mdns.on("error", () => undefined);
    this.#mdns.respond(serviceRecords(ad));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await new Promise<void>((resolve) => this.#mdns.respond(serviceRecords(this.#ad, 0), () => resolve()));
    await new Promise<void>((resolve) => this.#mdns.destroy(() => resolve()));
  }
}
