import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, Provenance, StreamPart } from "../../protocol/index.js";
import { serializeError } from "../../shared/errors.js";
import { peerSigner } from "../../shared/peer-signature.js";
import { loadUndici } from "../silence-agent.js";
import { WrenModel } from "../wren/model.js";
import { parsePeerSelector, selectPeer, type PeerChoice, type PeerSelector } from "./select.js";
import type { PeerSource } from "./source.js";

/**
 * `peer:<name>/<model>`, `peer:*\/<model>` or `peer:*`: a model served by another wren on the
 * network, found by discovery. The peer is picked per request from what discovery knows now, then
 * called as another wren ({@link WrenModel}: its OpenAI API, its Gemini API for enum answers), each
 * request signed with the shared key (shared/peer-signature.ts), never carrying it. Provenance names the peer.
 */
export class PeerModel implements LanguageModel {
  readonly provider = "peer";
  private readonly selector: PeerSelector;
  private readonly clients = new Map<string, WrenModel>();
  private prepared: Promise<void> | undefined;

  constructor(
    private readonly peers: PeerSource,
    readonly modelId: string,
  ) {
    // Parsed now: a malformed target fails when the route is built, not on its first request.
    this.selector = parsePeerSelector(modelId);
  }

  private client(choice: PeerChoice): WrenModel {
    const key = `${choice.peer.url}\n${choice.peer.key}\n${choice.model.id}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new WrenModel({ provider: `peer:${choice.peer.name}`, modelId: choice.model.id, baseURL: `${choice.peer.url}/v1`, sign: peerSigner(choice.peer.key) });
      this.clients.set(key, client);
    }
    return client;
  }

  private provenance(choice: PeerChoice): Provenance {
    return { provider: this.provider, model: this.modelId, reason: choice.reason, peer: choice.peer.name, replica: choice.peer.url };
  }

  /** undici, loaded before the router's clock starts (each peer's pool is made on its first call). */
  prepare(): Promise<void> {
    return (this.prepared ??= loadUndici().then(() => undefined));
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const choice = selectPeer(this.selector, this.peers.list(), request);
    const result = await this.client(choice).doGenerate(request, options);
    return { ...result, provenance: { ...result.provenance, ...this.provenance(choice) } };
  }

  async *doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    let choice: PeerChoice;
    try {
      choice = selectPeer(this.selector, this.peers.list(), request);
    } catch (error) {
      yield { type: "error", error: serializeError(error) };
      return;
    }
    const provenance = this.provenance(choice);
    yield { type: "stream-start", provider: this.provider, modelId: this.modelId, provenance };
    for await (const part of this.client(choice).doStream(request, options)) {
      if (part.type === "stream-start") continue;
      yield part.type === "finish" ? { ...part, provenance: { ...part.provenance, ...provenance } } : part;
    }
  }
}
