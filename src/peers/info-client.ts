import { PEER_NAME_PATTERN } from "../config/sections/peers.js";
import { boundedAnswer } from "../providers/answer-bound.js";
import { WrenError } from "../shared/errors.js";
import { isProvenPeerAnswer, PEER_PROOF_HEADER, signPeerRequest } from "../shared/peer-signature.js";
import { peerInfoSchema, type PeerInfo } from "../wire/peer/info.js";

/** Peer info lists a peer's models: a few KiB. More is a peer gone wrong, not read on. */
export const PEER_INFO_BYTES = 1024 * 1024;

/** The peer header path: what `GET /v1/peer/info` answers to a caller holding the key. */
export const PEER_INFO_PATH = "/v1/peer/info";

/** The most models one peer's info may list: more is a peer gone wrong, and would flood `wren peers list`. */
export const PEER_INFO_MODELS = 256;

/** The longest model id, version or backend name a peer may send. */
const PEER_TEXT_CHARS = 256;

/** Characters that would move, recolour or reorder what a terminal shows: C0 and C1 controls, bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** {@link UNSHOWABLE}, every one. */
const UNSHOWABLE_ALL = new RegExp(UNSHOWABLE.source, "g");

/** The most of a refusal's reason quoted. */
const REASON_CHARS = 200;

/** The most of a refusal's body read for its reason. */
const REFUSAL_BYTES = 16 * 1024;

/**
 * Asks a peer for its models, hardware, load and health, the request signed with the key (the key
 * itself is never sent; see shared/peer-signature.ts). A peer that refuses the signature answers
 * 401; that becomes `unauthorized` with the peer's reason (keys differ, clocks apart), so
 * `wren peers list` can say so rather than that the peer is down. Its answer must prove the peer
 * holds the key too (an HMAC over this request's fresh nonce and the answer, {@link PEER_PROOF_HEADER}):
 * the fingerprint it advertises can be copied by any host, and a host that cannot prove so is refused
 * (`unauthorized`), so it is never offered as a target, and never sent a prompt.
 */
export async function fetchPeerInfo(url: string, key: string, signal?: AbortSignal): Promise<PeerInfo> {
  let response: Response;
  let authorization: string;
  try {
    const target = new URL(`${url}${PEER_INFO_PATH}`);
    authorization = signPeerRequest(key, { method: "GET", path: `${target.pathname}${target.search}` });
    // A redirect is never followed: it would send the request (and read the info) elsewhere than the peer heard.
    response = await fetch(target, { headers: { authorization }, redirect: "manual", ...(signal ? { signal } : {}) });
  } catch (cause) {
    throw new WrenError("network_error", `Peer ${url} did not answer.`, { cause, hint: "Check that it runs and that this machine can reach its port.", isRetryable: true });
  }
  if (response.status === 401 || response.status === 403) {
    const reason = await refusalReason(response);
    throw new WrenError("unauthorized", `Peer ${url} refused this machine's key${reason ? `: ${reason}` : "."}`, {
      hint: "Give both machines the same peers.key (or set peers.keys.<name> for that peer), and check that their clocks agree.",
    });
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new WrenError("upstream_error", `Peer ${url} answered ${PEER_INFO_PATH} with a redirect (${response.status}); wren does not follow a peer's redirects.`, {
      hint: "A wren peer answers itself: check what listens on that address and port.",
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new WrenError("upstream_error", `Peer ${url} answered ${response.status} to ${PEER_INFO_PATH}.`, { hint: "Is it a wren server with peers.advertise on?", isRetryable: true });
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await boundedAnswer(response, `Peer ${url}`, PEER_INFO_BYTES).arrayBuffer());
  } catch (error) {
    if (error instanceof WrenError || signal?.aborted) throw error; // past the bound, or the caller gave up
    // The connection ended before the answer did: the peer stopped or the network dropped.
    throw new WrenError("network_error", `Peer ${url} went away in the middle of its answer.`, {
      cause: error,
      hint: "Check that it still runs and that this machine can reach its port.",
      isRetryable: true,
    });
  }
  if (!isProvenPeerAnswer(key, authorization, response.headers.get(PEER_PROOF_HEADER), bytes)) {
    throw new WrenError("unauthorized", `Peer ${url} did not prove it holds this machine's key (its answer carries no valid ${PEER_PROOF_HEADER}), so it is not used.`, {
      hint: "A host that copied a peer's advertisement, or a wren older than this one: run the same wren version on both machines, with the same peers.key.",
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    body = undefined;
  }
  const parsed = peerInfoSchema.safeParse(body);
  const problem = parsed.success ? unusableInfo(parsed.data) : undefined;
  if (!parsed.success || problem) {
    throw new WrenError("upstream_error", `Peer ${url} sent peer info wren cannot read${problem ? `: ${problem}` : "."}`, { hint: "Run the same wren version on both machines." });
  }
  return parsed.data;
}

/** Why info that parsed is still not taken (it is shown in a terminal and routed on), or undefined. */
function unusableInfo(info: PeerInfo): string | undefined {
  if (!PEER_NAME_PATTERN.test(info.name)) return "its name is not a peer name";
  if (info.models.length > PEER_INFO_MODELS) return `it lists ${info.models.length} models (at most ${PEER_INFO_MODELS} are read)`;
  const texts = [info.version, info.hardware?.gpu, ...info.models.map((m) => m.id)];
  if (texts.some((t) => t != null && (t.length > PEER_TEXT_CHARS || UNSHOWABLE.test(t)))) {
    return `a model id, its version or its backend is longer than ${PEER_TEXT_CHARS} characters or holds control characters`;
  }
  return undefined;
}

/** The message of a peer's 401 (an OpenAI-dialect error body), or nothing if it holds none. */
async function refusalReason(response: Response): Promise<string | undefined> {
  try {
    const text = (await boundedAnswer(response, "peer", REFUSAL_BYTES).text()).slice(0, REFUSAL_BYTES);
    const message = (JSON.parse(text) as { error?: { message?: unknown } } | null)?.error?.message;
    if (typeof message !== "string") return undefined;
    // Any host can answer 401: its words are quoted in errors and lists, so on one short line, and nothing a terminal acts on.
    const line = (message.split("\n")[0] ?? "").replace(UNSHOWABLE_ALL, " ").trim();
    return line.length > REASON_CHARS ? `${line.slice(0, REASON_CHARS)}…` : line;
  } catch {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
}
