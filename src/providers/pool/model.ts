import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart } from "../../protocol/index.js";
import { deserializeError, isWrenError, serializeError, type WrenError } from "../../shared/errors.js";
import type { OpenAICompatibleModel } from "../openai-compatible/model.js";
import { loadUndici } from "../silence-agent.js";
import { conversationKey } from "./affinity.js";
import { countsAgainstReplica } from "./failure.js";
import type { ReplicaPool } from "./pool.js";
import type { Replica } from "./replica.js";

/** A failure another replica may not have: connection errors, timeouts, 5xx, 429. */
const worthAnotherReplica = (error: WrenError) => error.isRetryable && error.code !== "aborted";

/**
 * One model served by a pool of OpenAI-compatible replicas (vLLM, llama-server, another wren).
 * Each call goes to the replica {@link ReplicaPool.acquire} picks; a replica failing before the
 * first byte of the answer hands the request to the next, as the router does between teachers.
 * Provenance names the replica that answered. How each request ended counts toward ejecting its
 * replica ({@link ReplicaPool.recordOutcome}).
 */
export class PoolModel implements LanguageModel {
  readonly provider: string;
  private readonly clients = new Map<Replica, OpenAICompatibleModel>();
  private prepared: Promise<void> | undefined;

  constructor(
    private readonly pool: ReplicaPool,
    readonly modelId: string,
  ) {
    this.provider = pool.name;
  }

  private client(replica: Replica): OpenAICompatibleModel {
    let client = this.clients.get(replica);
    if (!client) this.clients.set(replica, (client = this.pool.modelFor(replica, this.modelId)));
    return client;
  }

  private provenance(replica: Replica) {
    return { provider: this.provider, model: this.modelId, reason: "pool", replica: replica.url };
  }

  /** undici, loaded before the router's clock starts (each replica's pool is made on its first call). */
  prepare(): Promise<void> {
    return (this.prepared ??= loadUndici().then(() => undefined));
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const key = conversationKey(request);
    const tried = new Set<Replica>();
    for (;;) {
      const lease = await this.pool.acquire(key, tried, options.signal);
      tried.add(lease.replica);
      try {
        const result = await this.client(lease.replica).doGenerate(request, options);
        this.pool.recordOutcome(lease.replica, true);
        return { ...result, provenance: { ...result.provenance, ...this.provenance(lease.replica) } };
      } catch (error) {
        if (isWrenError(error) && countsAgainstReplica(error) && !options.signal?.aborted) this.pool.recordOutcome(lease.replica, false);
        if (!isWrenError(error) || !worthAnotherReplica(error) || options.signal?.aborted) throw error;
      } finally {
        lease.release();
      }
    }
  }

  async *doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    const key = conversationKey(request);
    const tried = new Set<Replica>();
    for (;;) {
      let lease;
      try {
        lease = await this.pool.acquire(key, tried, options.signal);
      } catch (error) {
        yield { type: "error", error: serializeError(error) };
        return;
      }
      tried.add(lease.replica);
      let started = false;
      // How the replica did: a finish is a success; an error that says it is unwell, or a stream
      // that stops without finishing (cut), a failure; a cancel or a client error, neither.
      let outcome: boolean | undefined;
      let ended = false;
      try {
        for await (const part of this.client(lease.replica).doStream(request, options)) {
          if (part.type === "stream-start") continue;
          if (part.type === "finish") {
            ended = true;
            outcome = part.finishReason === "abort" ? undefined : true;
          }
          if (part.type === "error") {
            ended = true;
            const error = deserializeError(part.error);
            outcome = countsAgainstReplica(error) && !options.signal?.aborted ? false : undefined;
            if (!started && worthAnotherReplica(error) && !options.signal?.aborted) break;
          }
          if (!started) {
            started = true;
            yield { type: "stream-start", provider: this.provider, modelId: this.modelId, provenance: this.provenance(lease.replica) };
          }
          yield part;
        }
        if (!ended && !options.signal?.aborted) outcome = false;
      } catch (error) {
        if (isWrenError(error) && countsAgainstReplica(error) && !options.signal?.aborted) outcome = false;
        throw error;
      } finally {
        lease.release();
        if (outcome !== undefined) this.pool.recordOutcome(lease.replica, outcome);
      }
      if (started) return;
    }
  }
}
