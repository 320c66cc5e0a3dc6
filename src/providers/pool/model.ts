import type { CallOptions, ChatRequest, GenerateResult, LanguageModel, StreamPart } from "../../protocol/index.js";
import { deserializeError, isWrenError, serializeError, type WrenError } from "../../shared/errors.js";
import type { OpenAICompatibleModel } from "../openai-compatible/model.js";
import { conversationKey } from "./affinity.js";
import type { ReplicaPool } from "./pool.js";
import type { Replica } from "./replica.js";

/** A failure another replica may not have: connection errors, timeouts, 5xx, 429. */
const worthAnotherReplica = (error: WrenError) => error.isRetryable && error.code !== "aborted";

/**
 * One model served by a pool of OpenAI-compatible replicas (vLLM, llama-server, another wren).
 * Each call goes to the replica {@link ReplicaPool.acquire} picks; a replica failing before the
 * first byte of the answer hands the request to the next, as the router does between teachers.
 * Provenance names the replica that answered.
 */
export class PoolModel implements LanguageModel {
  readonly provider: string;
  private readonly clients = new Map<Replica, OpenAICompatibleModel>();

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

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    const key = conversationKey(request);
    const tried = new Set<Replica>();
    for (;;) {
      const lease = await this.pool.acquire(key, tried, options.signal);
      tried.add(lease.replica);
      try {
        const result = await this.client(lease.replica).doGenerate(request, options);
        return { ...result, provenance: { ...result.provenance, ...this.provenance(lease.replica) } };
      } catch (error) {
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
      try {
        for await (const part of this.client(lease.replica).doStream(request, options)) {
          if (part.type === "stream-start") continue;
          if (!started) {
            if (part.type === "error" && worthAnotherReplica(deserializeError(part.error)) && !options.signal?.aborted) break;
            started = true;
            yield { type: "stream-start", provider: this.provider, modelId: this.modelId, provenance: this.provenance(lease.replica) };
          }
          yield part;
        }
      } finally {
        lease.release();
      }
      if (started) return;
    }
  }
}
