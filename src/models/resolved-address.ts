/**
 * Where a download's redirect may lead once its name is resolved: a host on the internet that sends
 * wren to a NAME must not reach this machine or its private network through it (a name set up to
 * resolve to 127.0.0.1, 10.x or a cloud's metadata address). The check runs in the connection's own
 * lookup (shared/checked-lookup.ts, as WebFetch's, in its strict form: every answer public), so the
 * address judged is the one connected to (a DNS answer that changes in between, DNS rebinding,
 * cannot slip past it). Behind the proxy the environment names (HTTPS_PROXY, see
 * shared/proxy-env.ts) the proxy resolves and connects: the check is then the proxy's.
 */
import { lookup as dnsLookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import type { Dispatcher } from "undici";
import { checkedLookup, ResolvedAddressRefused } from "../shared/checked-lookup.js";
import { nodeFetchTakesAgent } from "../shared/node-fetch.js";
import { proxyFor } from "../shared/proxy-env.js";

/** The refusal in a failed fetch's causes, if that is why it failed. */
export function resolvedInternal(error: unknown): ResolvedAddressRefused | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof ResolvedAddressRefused) return cause;
  }
  return undefined;
}

/** Whether this Node's fetch takes wren's undici Agent: decided once. */
const OWN_POOL = nodeFetchTakesAgent(process.versions["undici"]);

/** Pools by the lookup they resolve through: `plain` as given, `checked` through a public-only {@link checkedLookup}. */
const pools = new WeakMap<LookupFunction, { plain: Promise<Dispatcher>; checked: Promise<Dispatcher> }>();

function poolsOf(lookup: LookupFunction): { plain: Promise<Dispatcher>; checked: Promise<Dispatcher> } {
  let found = pools.get(lookup);
  if (!found) {
    const agent = async (connectLookup: LookupFunction): Promise<Dispatcher> => new (await import("undici")).Agent({ connect: { lookup: connectLookup } });
    found = { plain: agent(lookup), checked: agent(checkedLookup(lookup, { publicOnly: true })) };
    pools.set(lookup, found);
  }
  return found;
}

/**
 * What a request to `url` adds to its fetch init: a pool whose lookup refuses internal answers
 * when `publicOnly` (the hop follows a redirect from a host on the internet), one through `lookup`
 * when a test gives one, else nothing (Node's own). Where this Node's fetch refuses wren's Agent,
 * the name is checked just before the fetch resolves it again (a DNS answer that changes between
 * the two is not caught there).
 */
export async function connectionFor(url: URL, publicOnly: boolean, lookup: LookupFunction | undefined): Promise<{ dispatcher?: Dispatcher }> {
  const name = isIP(url.hostname.replace(/^\[|\]$/g, "")) === 0;
  const proxy = OWN_POOL && lookup === undefined ? proxyFor(url) : undefined;
  if (proxy !== undefined) return { dispatcher: await proxyPool(proxy) };
  if (!OWN_POOL) {
    if (publicOnly && name) {
      const checked = checkedLookup(lookup, { publicOnly: true });
      await new Promise<void>((resolve, reject) => checked(url.hostname, { all: true }, (error) => (error ? reject(error) : resolve())));
    }
    return {};
  }
  if (publicOnly && name) return { dispatcher: await poolsOf(lookup ?? dnsLookup).checked };
  return lookup ? { dispatcher: await poolsOf(lookup).plain } : {};
}

/** One pool per proxy address, made on first use. */
const proxyPools = new Map<string, Promise<Dispatcher>>();

function proxyPool(proxy: string): Promise<Dispatcher> {
  let pool = proxyPools.get(proxy);
  if (!pool) {
    pool = import("undici").then(({ ProxyAgent }) => new ProxyAgent({ uri: proxy }));
    proxyPools.set(proxy, pool);
  }
  return pool;
}
