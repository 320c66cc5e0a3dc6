import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { isLoopbackHost } from "../shared/loopback.js";

/** Where an address is: this machine, a network of its own (private, link-local, reserved), or the internet. */
export type AddressKind = "loopback" | "local" | "public";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

// Addresses that are not on the internet: what a public name resolving there reaches is a server on
// this machine's own networks (a router, a cloud's metadata service at 169.254.169.254 or
// fd00:ec2::254). BlockList also judges an IPv4-mapped IPv6 address (::ffff:10.0.0.1) as its IPv4 one.
const LOCAL = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches this machine
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT, where some clouds keep their metadata service
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3], // multicast, reserved and broadcast
] as const) {
  LOCAL.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 96], // unspecified and IPv4-compatible
  ["64:ff9b:1::", 48], // local-use NAT64
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated, still routed locally)
  ["ff00::", 8], // multicast
] as const) {
  LOCAL.addSubnet(net, bits, "ipv6");
}

/** Where an IP address (as DNS or a URL gives it, brackets allowed) is; `public` for anything else. */
export function addressKind(address: string): AddressKind {
  const ip = address.replace(/^\[|\]$/g, "");
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (LOOPBACK.check(ip, family)) return "loopback";
  return LOCAL.check(ip, family) ? "local" : "public";
}

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

/** A name refused at connect time for the address it resolved to; `fetchPage` turns it into a tool error. */
export class ResolvedAddressRefused extends Error {
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly kind: AddressKind,
  ) {
    super(
      isLoopbackHost(hostname)
        ? `${hostname} resolved to ${address}, which is not this machine: a localhost name is fetched only on this machine's loopback.`
        : `${hostname} resolved to ${address}, ${kind === "loopback" ? "an address of this machine" : "an address on a private or local network"}, which a public name should not lead to (a DNS answer can point anywhere). Nothing was sent.`,
    );
    this.name = "ResolvedAddressRefused";
  }
}

/**
 * `lookup` (dns.lookup's signature) with every answer checked before a connection is made to it,
 * for the connection's own resolution, so the address checked is the one connected to:
 * - a `localhost` name (`localhost`, `*.localhost`) is resolved as `localhost` (RFC 6761: never asked
 *   of DNS), and must resolve to loopback;
 * - another local name (see {@link isLocalHostName}) may resolve anywhere;
 * - any other name must resolve only to public addresses: one that leads to this machine or a
 *   private network (DNS rebinding, or a name set up to reach a metadata service) is refused.
 */
export function checkedLookup(lookup: LookupFunction = dnsLookup): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const loopbackName = isIP(host) === 0 && isLoopbackHost(host);
    const local = isLocalHostName(host);
    lookup(loopbackName ? "localhost" : hostname, { ...options, all: true }, (error, answer, family) => {
      if (error) return callback(error, "", 0);
      const addresses: LookupAddress[] = typeof answer === "string" ? [{ address: answer, family: family ?? isIP(answer) }] : answer;
      for (const { address } of addresses) {
        const kind = addressKind(address);
        if (loopbackName ? kind !== "loopback" : !local && kind !== "public") {
          return callback(new ResolvedAddressRefused(hostname, address, kind), "", 0);
        }
      }
      const first = addresses[0];
      if (options.all) return callback(null, addresses);
      if (!first) return callback(Object.assign(new Error(`${hostname} resolved to no address.`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}
