import type { ChatRequest } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { PeerModelInfo, PeerView } from "./source.js";

/** A peer and one of its models, picked for a request. */
export interface PeerChoice {
  peer: PeerView;
  model: PeerModelInfo;
  /** Why: `peer` (named), `least-loaded` or `capable`. */
  reason: "peer" | "least-loaded" | "capable";
}

/**
 * What a `peer:` target names. `peer:<name>/<model>`: that peer's model. `peer:*\/<model>`: the
 * least-loaded healthy peer serving `<model>`. `peer:*` (or `peer:capable`): the largest model on the
 * network whose context fits the request.
 */
export type PeerSelector = { kind: "named"; peer: string; model: string } | { kind: "least-loaded"; model: string } | { kind: "capable" };

export function parsePeerSelector(modelId: string): PeerSelector {
  if (modelId === "*" || modelId === "capable") return { kind: "capable" };
  const slash = modelId.indexOf("/");
  if (slash <= 0 || slash === modelId.length - 1) {
    throw new WrenError("bad_request", `"peer:${modelId}" does not say which peer and model.`, {
      hint: 'Write peer:<name>/<model> (one peer), peer:*/<model> (the least-loaded peer with that model) or peer:* (the most capable model that fits).',
    });
  }
  const peer = modelId.slice(0, slash);
  const model = modelId.slice(slash + 1);
  return peer === "*" ? { kind: "least-loaded", model } : { kind: "named", peer, model };
}

/**
 * Tokens a request may need, estimated without the peer's tokenizer: three characters per token
 * (fewer than most tokenizers average, so the estimate errs towards a larger context) plus the
 * output it asks for.
 */
export function estimateTokens(request: ChatRequest): number {
  let chars = request.rawPrompt?.length ?? 0;
  for (const message of request.messages) chars += JSON.stringify(message.content).length;
  if (request.tools) chars += JSON.stringify(request.tools).length;
  return Math.ceil(chars / 3) + (request.maxOutputTokens ?? 256);
}

function unknownPeer(selector: PeerSelector, peers: readonly PeerView[]): WrenError {
  const named = selector.kind === "named" ? peers.find((p) => p.name === selector.peer && !p.healthy) : undefined;
  if (named) {
    return new WrenError("model_not_found", `Peer "${named.name}" cannot be used: ${(named.problem ?? "it reported itself degraded").replace(/\.$/, "")}.`, {
      hint: "Run `wren peers list` for every peer's state; peers share peers.key (or peers.keys.<name>).",
      isRetryable: true,
    });
  }
  const known = peers.map((p) => `${p.name} (${p.healthy ? p.models.map((m) => m.id).join(", ") || "no models" : (p.problem ?? "degraded")})`).join("; ");
  const what = selector.kind === "named" ? `peer "${selector.peer}" with model "${selector.model}"` : selector.kind === "least-loaded" ? `healthy peer serving "${selector.model}"` : "healthy peer";
  return new WrenError("model_not_found", `No ${what} is known on the network.`, {
    hint: known ? `Known peers: ${known}. Run \`wren peers list\`.` : "No peers found yet: check that they advertise (peers.advertise), share peers.key, and that mDNS reaches this machine (`wren peers list`).",
    isRetryable: true,
  });
}

/** Picks the peer and model a request goes to; throws `model_not_found` when none fits. */
export function selectPeer(selector: PeerSelector, peers: readonly PeerView[], request: ChatRequest): PeerChoice {
  const healthy = peers.filter((p) => p.healthy);
  if (selector.kind === "named") {
    const peer = healthy.find((p) => p.name === selector.peer);
    const model = peer?.models.find((m) => m.id === selector.model);
    if (!peer || !model) throw unknownPeer(selector, peers);
    return { peer, model, reason: "peer" };
  }
  if (selector.kind === "least-loaded") {
    const withModel = healthy.flatMap((peer) => peer.models.filter((m) => m.id === selector.model).map((model) => ({ peer, model })));
    // Ties go by name, so the choice does not depend on the order peers were discovered in.
    withModel.sort((a, b) => a.peer.inFlight - b.peer.inFlight || a.peer.name.localeCompare(b.peer.name));
    const best = withModel[0];
    if (!best) throw unknownPeer(selector, peers);
    return { ...best, reason: "least-loaded" };
  }
  const needed = estimateTokens(request);
  const fitting = healthy.flatMap((peer) => peer.models.filter((m) => m.contextLength === undefined || m.contextLength >= needed).map((model) => ({ peer, model })));
  fitting.sort(
    (a, b) =>
      (b.model.sizeBytes ?? 0) - (a.model.sizeBytes ?? 0) ||
      (b.model.contextLength ?? 0) - (a.model.contextLength ?? 0) ||
      a.peer.inFlight - b.peer.inFlight ||
      a.peer.name.localeCompare(b.peer.name),
  );
  const best = fitting[0];
  if (!best) {
    if (healthy.some((p) => p.models.length > 0)) {
      throw new WrenError("context_overflow", `No model on the network has a context of the ${needed} tokens this request needs.`, {
        hint: "Shorten the request, or serve a model with a longer context on a peer (`wren peers list` shows each model's context).",
      });
    }
    throw unknownPeer(selector, peers);
  }
  return { ...best, reason: "capable" };
}
