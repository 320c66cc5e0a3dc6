import os from "node:os";
import type { PeerInfo } from "../wire/peer/info.js";

/** What a server knows of one of its models, for {@link peerInfo}. */
export interface ServedModelFacts {
  id: string;
  contextLength?: number | undefined;
  sizeBytes?: number | undefined;
  loaded: boolean;
}

/** The answer of this server's `GET /v1/peer/info`. */
export function peerInfo(facts: { name: string; version: string; models: ServedModelFacts[]; backend: string | undefined; inFlight: number }): PeerInfo {
  return {
    name: facts.name,
    version: facts.version,
    models: facts.models.map((m) => ({ id: m.id, contextLength: m.contextLength ?? null, sizeBytes: m.sizeBytes ?? null, loaded: m.loaded })),
    hardware: { gpu: facts.backend ?? null, memory: { total: os.totalmem(), free: os.freemem() }, cpus: os.availableParallelism() },
    load: { inFlight: facts.inFlight },
    health: "ok",
  };
}
