/** One model a peer serves, as its `/v1/peer/info` said. */
export interface PeerModelInfo {
  id: string;
  /** Tokens one request may use, when the peer said. */
  contextLength?: number | undefined;
  /** The model file's size: what "most capable" compares. */
  sizeBytes?: number | undefined;
}

/** A peer as the provider sees it: where it is, what it serves, how busy and healthy it is. */
export interface PeerView {
  /** Its advertised name: `peer:<name>/<model>`. */
  name: string;
  /** Its server's origin, e.g. `http://192.168.1.7:11435` (the OpenAI API is under `/v1`). */
  url: string;
  /** The key this machine sends it (the shared key, or the per-peer one). */
  key: string;
  models: PeerModelInfo[];
  /** Requests it was answering when last asked. */
  inFlight: number;
  /** False when its last info fetch failed or it reported itself degraded. */
  healthy: boolean;
  /** Why it cannot be used now (its key differs, it stopped answering), when discovery knows. */
  problem?: string | undefined;
}

/** What the peer provider reads per request: the peers known now (discovery keeps it current). */
export interface PeerSource {
  list(): readonly PeerView[];
}
