import { BlockList, isIP } from "node:net";

/**
 * Where an address is: this machine, a private network (an intranet's, a VPN's), a network of its
 * own that no rule opens (link-local, a cloud's metadata service, reserved), or the internet.
 */
export type AddressKind = "loopback" | "private" | "local" | "public";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

// Cloud and VPN services' own addresses inside private ranges: never "private", whatever a rule says.
const SERVICES = new BlockList();
SERVICES.addSubnet("100.100.100.0", 24, "ipv4"); // Alibaba Cloud's metadata (100.100.100.200), Tailscale's own 100.100.100.100
SERVICES.addAddress("fd00:ec2::254", "ipv6"); // AWS's metadata service over IPv6

// Private networks (RFC 1918, carrier-grade NAT as VPNs such as Tailscale use it, IPv6 unique local):
// where a company's intranet names resolve under split-horizon DNS. A name the user's rules name
// exactly may resolve here (WebFetch's `checkedLookup`).
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv4");
}
PRIVATE.addSubnet("fc00::", 7, "ipv6");

// Addresses that are not on the internet nor on a private network: what a public name resolving
// there reaches is this machine or a server on its own link (a router, a cloud's metadata service at
// 169.254.169.254). BlockList also judges an IPv4-mapped IPv6 address (::ffff:10.0.0.1) as its IPv4 one.
const LOCAL = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches this machine
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["192.0.0.0", 24],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3], // multicast, reserved and broadcast
] as const) {
  LOCAL.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 96], // unspecified and IPv4-compatible
  ["64:ff9b:1::", 48], // local-use NAT64
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
  if (SERVICES.check(ip, family)) return "local";
  if (PRIVATE.check(ip, family)) return "private";
  return LOCAL.check(ip, family) ? "local" : "public";
}

