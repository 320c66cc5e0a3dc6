export { PeerModel } from "./model.js";
export { estimateTokens, parsePeerSelector, selectPeer, type PeerChoice, type PeerSelector } from "./select.js";
export type { PeerModelInfo, PeerSource, PeerView } from "./source.js";
