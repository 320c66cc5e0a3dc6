import { boundedAnswer } from "../providers/answer-bound.js";
import { WrenError } from "../shared/errors.js";
import { peerInfoSchema, type PeerInfo } from "../wire/peer/info.js";

/** Peer info lists a peer's models: a few KiB. More is a peer gone wrong, not read on. */
export const PEER_INFO_BYTES = 1024 * 1024;

/** The peer header path: what `GET /v1/peer/info` answers to a caller holding the key. */
export const PEER_INFO_PATH = "/v1/peer/info";

/**
 * Asks a peer for its models, hardware, load and health, sending the key as a bearer token. A
 * peer that refuses the key answers 401; that becomes `unauthorized`, so `wren peers list` can say
 * the keys differ rather than that the peer is down.
 */
export async function fetchPeerInfo(url: string, key: string, signal?: AbortSignal): Promise<PeerInfo> {
  let response: Response;
  try {
    response = await fetch(`${url}${PEER_INFO_PATH}`, { headers: { authorization: `Bearer ${key}` }, ...(signal ? { signal } : {}) });
  } catch (cause) {
    throw new WrenError("network_error", `Peer ${url} did not answer.`, { cause, hint: "Check that it runs and that this machine can reach its port.", isRetryable: true });
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new WrenError("unauthorized", `Peer ${url} refused this machine's key.`, { hint: "Give both machines the same peers.key (or set peers.keys.<name> for that peer)." });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new WrenError("upstream_error", `Peer ${url} answered ${response.status} to ${PEER_INFO_PATH}.`, { hint: "Is it a wren server with peers.advertise on?", isRetryable: true });
  }
  let body: unknown;
  try {
    body = await boundedAnswer(response, `Peer ${url}`, PEER_INFO_BYTES).json();
  } catch (error) {
    if (error instanceof WrenError || signal?.aborted) throw error; // past the bound, or the caller gave up
    if (!(error instanceof SyntaxError)) {
      // The connection ended before the answer did: the peer stopped or the network dropped.
      throw new WrenError("network_error", `Peer ${url} went away in the middle of its answer.`, {
        cause: error,
        hint: "Check that it still runs and that this machine can reach its port.",
        isRetryable: true,
      });
    }
  }
  const parsed = peerInfoSchema.safeParse(body);
  if (!parsed.success) {
    throw new WrenError("upstream_error", `Peer ${url} sent peer info wren cannot read.`, { hint: "Run the same wren version on both machines." });
  }
  return parsed.data;
}
