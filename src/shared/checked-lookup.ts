import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { addressKind, type AddressKind } from "./address-kind.js";
import { isLoopbackHost } from "./loopback.js";

/**
 * Whether a host name reads as local: `localhost` and its subdomains, `.local`, `.internal`, `.lan`
 * and `.home.arpa` names, a name without dots, and an address that is not public. The person who
 * allowed such a host knew it was no site on the internet.
 */
export function isLocalHostName(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host)) return true;
  if (isIP(host) !== 0) return addressKind(host) !== "public";
  return !host.includes(".");
}

/** A name refused at connect time for the address it resolved to; WebFetch and downloads turn it into their own error. */
export class ResolvedAddressRefused extends Error {
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly kind: AddressKind,
  ) {
    super(
      isLoopbackHost(hostname)
        ? `${hostname} resolved to ${address}, which is not this machine: a localhost name is fetched only on this machine's loopback.`
        : kind === "private"
          ? `${hostname} resolved to ${address}, an address on a private network, where a public name leads only when a rule of yours names that host exactly (a DNS answer can point anywhere). Nothing was sent.`
          : `${hostname} resolved to ${address}, ${kind === "loopback" ? "an address of this machine" : "a link-local, reserved or cloud metadata address"}, which a public name should not lead to (a DNS answer can point anywhere). Nothing was sent.`,
    );
    this.name = "ResolvedAddressRefused";
  }
}

/** Options of {@link checkedLookup}. */
export interface CheckedLookupOptions {
  /**
   * Whether a name that reads as public may resolve to a private network (`10/8`, `172.16/12`,
   * `192.168/16`, `100.64/10`, `fc00::/7`): asked with the host in lower case, without a trailing
   * dot. WebFetch answers yes for a host an allow rule of the user's own names exactly. Default: no host.
   */
  privateAllowed?: (host: string) => boolean;
  /**
   * Every answer must be public, for every name (a local name, a `localhost` one included): what a
   * download's redirect from the internet may lead to. Default: the rules below.
   */
  publicOnly?: boolean;
}

/**
 * `lookup` (dns.lookup's signature) with every answer checked before a connection is made to it,
 * for the connection's own resolution, so the address checked is the one connected to:
 * - a `localhost` name (`localhost`, `*.localhost`) is resolved as `localhost` (RFC 6761: never asked
 *   of DNS), and must resolve to loopback;
 * - another local name (see {@link isLocalHostName}) may resolve anywhere;
 * - any other name must resolve only to public addresses: one that leads to this machine or a
 *   private network (DNS rebinding, or a name set up to reach a metadata service) is refused;
 *   only a name `options.privateAllowed` allows may lead to a private network (never loopback,
 *   link-local or a metadata address).
 * With `options.publicOnly`, every name must resolve only to public addresses.
 */
export function checkedLookup(lookup: LookupFunction = dnsLookup, options: CheckedLookupOptions = {}): LookupFunction {
  return (hostname: string, lookupOptions: LookupOptions, callback) => {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const loopbackName = isIP(host) === 0 && isLoopbackHost(host);
    const local = isLocalHostName(host);
    let privateAllowed: boolean | undefined;
    const allowed = (kind: AddressKind): boolean => {
      if (options.publicOnly) return kind === "public";
      if (loopbackName) return kind === "loopback";
      if (local || kind === "public") return true;
      return kind === "private" && (privateAllowed ??= options.privateAllowed?.(host.replace(/\.$/, "")) ?? false);
    };
    lookup(loopbackName && !options.publicOnly ? "localhost" : hostname, { ...lookupOptions, all: true }, (error, answer, family) => {
      if (error) return callback(error, "", 0);
      const addresses: LookupAddress[] = typeof answer === "string" ? [{ address: answer, family: family ?? isIP(answer) }] : answer;
      for (const { address } of addresses) {
        const kind = addressKind(address);
        if (!allowed(kind)) {
          return callback(new ResolvedAddressRefused(hostname, address, kind), "", 0);
        }
      }
      const first = addresses[0];
      if (lookupOptions.all) return callback(null, addresses);
      if (!first) return callback(Object.assign(new Error(`${hostname} resolved to no address.`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}
