/**
 * What tells one version of a downloaded file from another (`HubFileMeta.version`, recorded beside a
 * `.partial` file): `<kind>:<value> size:<bytes|unknown>`, the kind being its SHA-256, else its ETag,
 * else its Last-Modified.
 */

type Kind = "sha256" | "etag" | "last-modified";

interface FileVersion {
  kind: Kind;
  value: string;
  size: number | null;
}

const KIND_NAMES: Record<Kind, string> = { sha256: "SHA-256", etag: "ETag", "last-modified": "Last-Modified" };

/**
 * An entity tag as the weak comparison of HTTP (RFC 9110, 8.8.3.2) sees it: without `W/` and its
 * quotes. `W/"x"`, `"x"` and `x` are one tag.
 */
export function opaqueTag(etag: string): string {
  return etag.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
}

export function formatFileVersion(facts: { sha256: string | null; etag: string | null; lastModified: string | null; size: number | null }): string | null {
  const tag = facts.sha256 ? `sha256:${facts.sha256}` : facts.etag ? `etag:${opaqueTag(facts.etag)}` : facts.lastModified ? `last-modified:${facts.lastModified}` : null;
  return tag && `${tag} size:${facts.size ?? "unknown"}`;
}

function parseFileVersion(text: string): FileVersion | undefined {
  const match = /^(sha256|etag|last-modified):(.*) size:(\d+|unknown)$/s.exec(text.trim());
  if (!match) return undefined;
  const kind = match[1] as Kind;
  const value = match[2] ?? "";
  return { kind, value: kind === "etag" ? opaqueTag(value) : kind === "sha256" ? value.toLowerCase() : value, size: match[3] === "unknown" ? null : Number(match[3]) };
}

/**
 * Whether two recorded versions are of the same bytes: ETags compared weakly, a size that one side
 * did not know not held against it. Text that is not a version compares as text.
 */
export function sameFileVersion(a: string, b: string): boolean {
  const x = parseFileVersion(a);
  const y = parseFileVersion(b);
  if (!x || !y) return a === b;
  if (x.kind !== y.kind || x.value !== y.value) return false;
  return x.size === null || y.size === null || x.size === y.size;
}

function shown(value: string): string {
  return value.length > 16 ? `${value.slice(0, 12)}…` : value;
}

/** Why `was` and `now` differ, for people: "(ETag 1a2b3c4d5e6f… then, 9f8e7d6c5b4a… now)". */
export function describeVersionChange(was: string, now: string): string {
  const x = parseFileVersion(was);
  const y = parseFileVersion(now);
  if (!x || !y) return "";
  if (x.kind === y.kind && x.value === y.value) return ` (${x.size ?? "unknown"} bytes then, ${y.size ?? "unknown"} bytes now)`;
  const name = KIND_NAMES[y.kind];
  return x.kind === y.kind ? ` (${name} ${shown(x.value)} then, ${shown(y.value)} now)` : ` (${KIND_NAMES[x.kind]} ${shown(x.value)} then, ${name} ${shown(y.value)} now)`;
}
