import { answerChoices, type CallOptions, type ChatRequest, type GenerateResult, type LanguageModel, type Provenance, type StreamPart } from "../../protocol/index.js";
import { serializeError } from "../../shared/errors.js";
import { OpenAICompatibleModel } from "../openai-compatible/model.js";
import { loadUndici } from "../silence-agent.js";
import { parsePeerSelector, selectPeer, type PeerChoice, type PeerSelector } from "./select.js";
import type { PeerSource } from "./source.js";

/**
 * `peer:<name>/<model>`, `peer:*\/<model>` or `peer:*`: a model served by another wren on the
 * network, found by discovery. The peer is picked per request from what discovery knows now, then
 * called over its OpenAI API with the shared key as bearer token. Provenance names the peer.
 *
 * An answer that is one of a string enum (a format with `answerKey`) goes to the peer's Gemini API
 * as `text/x.enum` instead: a wren server holds its model to the bare value there, so the client's
 * max tokens and the usage are the value's, where its OpenAI API takes only the object around it.
 */
export class PeerModel implements LanguageModel {
  readonly provider = "peer";
  private readonly selector: PeerSelector;
  private readonly clients = new Map<string, OpenAICompatibleModel>();
  private readonly enumClients = new Map<string, Promise<LanguageModel>>();
  private prepared: Promise<void> | undefined;

  constructor(
    private readonly peers: PeerSource,
    readonly modelId: string,
  ) {
    // Parsed now: a malformed target fails when the route is built, not on its first request.
    this.selector = parsePeerSelector(modelId);
  }

  private client(choice: PeerChoice): OpenAICompatibleModel {
    const key = `${choice.peer.url}\n${choice.peer.key}\n${choice.model.id}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new OpenAICompatibleModel({ provider: `peer:${choice.peer.name}`, modelId: choice.model.id, baseURL: `${choice.peer.url}/v1`, apiKey: choice.peer.key });
      this.clients.set(key, client);
    }
    return client;
  }

  /** The peer's Gemini API, for enum answers (its client loads on the first one). */
  private enumClient(choice: PeerChoice): Promise<LanguageModel> {
    const key = `${choice.peer.url}\n${choice.peer.key}\n${choice.model.id}`;
    let client = this.enumClients.get(key);
    if (!client) {
      const options = { provider: `peer:${choice.peer.name}`, modelId: choice.model.id, baseURL: choice.peer.url, apiKey: choice.peer.key };
      client = import("../gemini/model.js").then(({ GeminiModel }) => new GeminiModel(options));
      this.enumClients.set(key, client);
    }
    return client;
  }

  private async clientFor(choice: PeerChoice, request: ChatRequest): Promise<LanguageModel> {
    return answerChoices(request.responseFormat) ? this.enumClient(choice) : this.client(choice);
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
    const result = await (await this.clientFor(choice, request)).doGenerate(request, options);
    return { ...result, provenance: { ...result.provenance, ...this.provenance(choice) } };
  }

  async *doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    let choice: PeerChoice;
    let client: LanguageModel;
    try {
      choice = selectPeer(this.selector, this.peers.list(), request);
      client = await this.clientFor(choice, request);
    } catch (error) {
      yield { type: "error", error: serializeError(error) };
      return;
    }
    const provenance = this.provenance(choice);
    yield { type: "stream-start", provider: this.provider, modelId: this.modelId, provenance };
    for await (const part of client.doStream(request, options)) {
      if (part.type === "stream-start") continue;
      yield part.type === "finish" ? { ...part, provenance: { ...part.provenance, ...provenance } } : part;
    }
  }
}
