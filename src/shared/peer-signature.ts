import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { WrenError } from "./errors.js";

/**
 * How one wren signs its requests to another (LAN peers, docs/peers.md): never the peers key
 * itself, only an HMAC-SHA256 made with it, in
 * `Authorization: Wren-Peer-HMAC ts=<ms>, nonce=<base64url>, body=<sha256 hex>, sig=<hex>`.
 * The HMAC covers the method, the path with its query, the timestamp, the nonce and the body's
 * SHA-256, so a request heard on the network cannot be changed, and (within the window the server
 * remembers nonces for) not sent again.
 */
export const PEER_SIGNATURE_SCHEME = "Wren-Peer-HMAC";

/** How far a signature's timestamp may be from the server's clock, either way: 5 minutes. */
export const PEER_SIGNATURE_SKEW_MS = 5 * 60 * 1000;

/** Nonces a server remembers at most; past it the oldest go, and what was signed before them is refused. */
export const PEER_NONCES_REMEMBERED = 100_000;

const VERSION = "wren-peer-hmac-sha256-v1";
const EMPTY_SHA256 = sha256Hex("");

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** What a signature covers. */
export interface SignedRequest {
  method: string;
  /** The request target as sent: the path and its query (`/v1beta/models/m:streamGenerateContent?alt=sse`). */
  path: string;
  /** The body's bytes (a string as UTF-8), or none. */
  body?: string | Uint8Array | undefined;
}

function stringToSign(method: string, path: string, ts: string, nonce: string, bodyHash: string): string {
  return [VERSION, method.toUpperCase(), path, ts, nonce, bodyHash].join("\n");
}

function hmac(key: string, text: string): Buffer {
  return createHmac("sha256", key).update(text).digest();
}

/** The `Authorization` header value of `request` signed with `key`: a fresh nonce each call. */
export function signPeerRequest(key: string, request: SignedRequest, now: number = Date.now()): string {
  const ts = String(Math.floor(now));
  const nonce = randomBytes(16).toString("base64url");
  const body = request.body === undefined || request.body.length === 0 ? EMPTY_SHA256 : sha256Hex(request.body);
  const sig = hmac(key, stringToSign(request.method, request.path, ts, nonce, body)).toString("hex");
  return `${PEER_SIGNATURE_SCHEME} ts=${ts}, nonce=${nonce}, body=${body}, sig=${sig}`;
}

/** Whether an `Authorization` header value is a peer signature (then it must verify; it is never a key). */
export function isPeerSignature(header: string | undefined | null): header is string {
  return header != null && header.slice(0, PEER_SIGNATURE_SCHEME.length + 1).toLowerCase() === `${PEER_SIGNATURE_SCHEME.toLowerCase()} `;
}

interface ParsedSignature {
  ts: string;
  nonce: string;
  body: string;
  sig: string;
}

const FIELD = /^(ts|nonce|body|sig)=([A-Za-z0-9_-]+)$/;

function parse(header: string): ParsedSignature | undefined {
  const fields = new Map<string, string>();
  for (const part of header.slice(PEER_SIGNATURE_SCHEME.length + 1).split(",")) {
    const match = FIELD.exec(part.trim());
    if (!match?.[1] || match[2] === undefined || fields.has(match[1])) return undefined;
    fields.set(match[1], match[2]);
  }
  const [ts, nonce, body, sig] = [fields.get("ts"), fields.get("nonce"), fields.get("body"), fields.get("sig")];
  if (ts === undefined || nonce === undefined || body === undefined || sig === undefined) return undefined;
  if (!/^\d{1,15}$/.test(ts) || nonce.length < 16 || nonce.length > 64 || !/^[0-9a-f]{64}$/.test(body) || !/^[0-9a-f]{64}$/.test(sig)) return undefined;
  return { ts, nonce, body, sig };
}

function refused(message: string, hint: string): WrenError {
  return new WrenError("unauthorized", message, { hint });
}

/**
 * The nonces of signatures accepted while their timestamps are within the window, so that each is
 * accepted once. Bounded: when full, the oldest entry goes and the floor rises to its timestamp;
 * a signature timestamped at or before the floor is refused, so a forgotten nonce cannot come back.
 * The floor starts at the time the cache is made: a server that restarts has forgotten the nonces
 * it saw, so it takes no signature made before it started.
 */
export class PeerNonces {
  readonly #seen = new Map<string, number>();
  readonly #max: number;
  #floor: number;

  constructor(options: { max?: number; now?: number } = {}) {
    this.#max = options.max ?? PEER_NONCES_REMEMBERED;
    this.#floor = (options.now ?? Date.now()) - 1;
  }

  /** The latest timestamp refused as too old to tell a replay from a first sending. */
  get floor(): number {
    return this.#floor;
  }

  /** Nonces held now. */
  get size(): number {
    return this.#seen.size;
  }

  /** Records `nonce`; false when it was seen already, or `ts` is at or before the floor. */
  accept(nonce: string, ts: number, now: number): boolean {
    // Past the window the timestamp check refuses them anyway: most often the oldest inserted.
    for (const [seen, at] of this.#seen) {
      if (at >= now - PEER_SIGNATURE_SKEW_MS) break;
      this.#seen.delete(seen);
    }
    if (ts <= this.#floor || this.#seen.has(nonce)) return false;
    if (this.#seen.size >= this.#max) {
      const [oldest, at] = this.#seen.entries().next().value as [string, number];
      this.#seen.delete(oldest);
      this.#floor = Math.max(this.#floor, at);
      if (ts <= this.#floor) return false;
    }
    this.#seen.set(nonce, ts);
    return true;
  }
}

/** What a verified signature says of the body it covers: its SHA-256, to check once the body is read. */
export interface VerifiedPeerSignature {
  bodySha256: string;
}

/**
 * Checks an `Authorization: Wren-Peer-HMAC …` header against `key`; throws `unauthorized` naming
 * what was wrong (malformed, stale timestamp, bad signature, replayed nonce) and what to do. The
 * body is not read here: {@link checkSignedBody} checks it against the returned hash when it is.
 */
export function verifyPeerSignature(key: string, header: string, request: { method: string; path: string }, nonces: PeerNonces, now: number = Date.now()): VerifiedPeerSignature {
  const parsed = parse(header);
  if (!parsed) {
    throw refused(`The ${PEER_SIGNATURE_SCHEME} authorization header is malformed.`, "Send it as wren does: ts=<ms>, nonce=<base64url>, body=<sha256 hex>, sig=<hmac hex>; run the same wren version on both machines.");
  }
  const ts = Number(parsed.ts);
  const skew = ts - now;
  if (Math.abs(skew) > PEER_SIGNATURE_SKEW_MS) {
    const seconds = Math.round(Math.abs(skew) / 1000);
    throw refused(
      `The peer signature's timestamp is stale: ${seconds} s ${skew < 0 ? "behind" : "ahead of"} this server's clock (at most ${PEER_SIGNATURE_SKEW_MS / 1000} s either way is accepted).`,
      "Check both machines' clocks (turn on NTP time sync on each).",
    );
  }
  const expected = hmac(key, stringToSign(request.method, request.path, parsed.ts, parsed.nonce, parsed.body));
  if (!timingSafeEqual(Buffer.from(parsed.sig, "hex"), expected)) {
    throw refused(
      "The peer signature does not match: the caller's key differs from this server's peers key, or the request was changed on the way.",
      "Give both machines the same peers.key (or set peers.keys.<name> on the caller to this server's key).",
    );
  }
  if (!nonces.accept(parsed.nonce, ts, now)) {
    throw refused(
      ts <= nonces.floor
        ? "The peer signature was made before this server started (or before the nonces it still remembers), so a replay cannot be told apart: refused."
        : "The peer signature's nonce was seen already: a replayed request is refused.",
      "Send a new request (wren signs each with a fresh nonce); if this repeats, check both machines' clocks and that nothing on the network resends requests.",
    );
  }
  return { bodySha256: parsed.body };
}

/** Throws `unauthorized` when a signed request's body is not the one its signature covers. */
export function checkSignedBody(verified: VerifiedPeerSignature, body: Uint8Array): void {
  const actual = Buffer.from(body.length === 0 ? EMPTY_SHA256 : sha256Hex(body), "hex");
  if (!timingSafeEqual(actual, Buffer.from(verified.bodySha256, "hex"))) {
    throw refused("The request body does not match its peer signature: it was changed on the way.", "Send the request again; if this repeats, something on the network alters requests between the two machines.");
  }
}

/**
 * The response header a peer proves its answer with: `sig=<hex>`, an HMAC-SHA256 keyed with the
 * peers key over the request's nonce and signature (chosen fresh by the asker) and the answer's
 * SHA-256. The request's signature shows the asker holds the key; this shows the answerer does, so
 * a host that copied a peer's advertisement (its fingerprint is public) is not taken for a peer.
 */
export const PEER_PROOF_HEADER = "wren-peer-proof";

const ANSWER_VERSION = "wren-peer-answer-hmac-sha256-v1";

function answerToSign(request: ParsedSignature, body: string | Uint8Array): string {
  return [ANSWER_VERSION, request.nonce, request.sig, body.length === 0 ? EMPTY_SHA256 : sha256Hex(body)].join("\n");
}

/**
 * The {@link PEER_PROOF_HEADER} value of `body`, the answer to the request signed with
 * `authorization` (a header {@link verifyPeerSignature} accepted), made with `key`.
 */
export function answerPeerRequest(key: string, authorization: string, body: string | Uint8Array): string {
  const request = isPeerSignature(authorization) ? parse(authorization) : undefined;
  if (!request) throw new WrenError("bad_request", `Only an answer to a request signed with ${PEER_SIGNATURE_SCHEME} can be proved.`, { hint: "Prove only the answers to requests whose signature verifyPeerSignature accepted." });
  return `sig=${hmac(key, answerToSign(request, body)).toString("hex")}`;
}

/**
 * Whether `proof` (the answer's {@link PEER_PROOF_HEADER}, or null) shows the answer `body` to the
 * request this machine signed as `authorization` was made by a holder of `key`. Checked in constant time.
 */
export function isProvenPeerAnswer(key: string, authorization: string, proof: string | null, body: string | Uint8Array): boolean {
  const request = parse(authorization);
  const sig = proof === null ? undefined : /^sig=([0-9a-f]{64})$/.exec(proof.trim())?.[1];
  if (!request || sig === undefined) return false;
  return timingSafeEqual(Buffer.from(sig, "hex"), hmac(key, answerToSign(request, body)));
}

/** Headers to add to one request, made from what it sends (a signature over it). */
export type RequestSigner = (request: SignedRequest) => Record<string, string>;

/** A {@link RequestSigner} that signs each request with `key`: the key itself is never sent. */
export function peerSigner(key: string): RequestSigner {
  return (request) => ({ authorization: signPeerRequest(key, request) });
}
