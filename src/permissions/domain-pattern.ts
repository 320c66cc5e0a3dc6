/**
 * `WebFetch(domain:…)` specifiers. `domain:docs.rs` matches that host only; `domain:*.docs.rs`
 * matches its subdomains at any depth (not `docs.rs` itself), so allowing a host never allows the
 * hosts under it by accident. Ports and schemes are not part of the match.
 */
export interface DomainPattern {
  host: string;
  subdomains: boolean;
}

/** Lower case, IDN as punycode, no trailing dot: the form `new URL()` gives a hostname. */
function normalizeHost(host: string): string | undefined {
  try {
    const parsed = new URL(`http://${host}`);
    if (parsed.host !== parsed.hostname || parsed.pathname !== "/" || parsed.search || parsed.username) return undefined;
    return parsed.hostname.replace(/\.$/, "");
  } catch {
    return undefined;
  }
}

export function compileDomainPattern(spec: string): DomainPattern {
  const subdomains = spec.startsWith("*.");
  const host = normalizeHost(subdomains ? spec.slice(2) : spec);
  if (!host || host.includes("*")) throw new Error(`"${spec}" is not a host name (write domain:docs.rs, or domain:*.docs.rs for its subdomains)`);
  return { host, subdomains };
}

/** The host a URL points at, normalised like a pattern's, or undefined for a URL that does not parse. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/\.$/, "").toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

export function matchDomainPattern(pattern: DomainPattern, host: string): boolean {
  return pattern.subdomains ? host.endsWith(`.${pattern.host}`) : host === pattern.host;
}
