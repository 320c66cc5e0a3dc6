/** How a pool of OpenAI-compatible replicas balances, limits and checks them. */
export interface PoolOptions {
  /** Registry name of the pool, used in ids, provenance and metrics (e.g. `gpu-pool`). */
  name: string;
  /** API roots of the replicas, version segment included (e.g. `http://10.0.0.5:8000/v1`). */
  replicas: string[];
  /** Requests one replica takes at once; beyond it the next replica is used. Default: no limit. */
  maxConcurrent?: number | undefined;
  /**
   * With every healthy replica at `maxConcurrent`: `queue` waits for a free slot (default), `reject`
   * answers `overloaded` at once so the router can move on to its next target.
   */
  whenFull?: "queue" | "reject" | undefined;
  /** Keep a conversation on the replica that served it while that replica is healthy. Default true. */
  affinity?: boolean | undefined;
  /** Conversations remembered for affinity (least recently used forgotten first). Default 10000. */
  affinityEntries?: number | undefined;
  /**
   * The replicas read vLLM's `continue_final_message` (vLLM, another wren): a request that continues
   * its final assistant message (an Anthropic prefill) is sent with it and `add_generation_prompt:
   * false`, so the answer is only the text after that message (see `OpenAICompatibleModelOptions`).
   * Default false: llama-server and other servers may refuse unknown fields, and start a new turn.
   */
  continueFinalMessage?: boolean | undefined;
  health?: PoolHealthOptions | undefined;
  /** Sent as `Authorization: Bearer KEY` to every replica. */
  apiKey?: string | undefined;
  headers?: Record<string, string> | undefined;
}

/** Health checks of a pool's replicas. */
export interface PoolHealthOptions {
  /** Between checks, ms; 0 turns background checks off (replicas then stay admitted). Default 10000. */
  intervalMs?: number | undefined;
  /** One check's limit, ms. Default 5000. */
  timeoutMs?: number | undefined;
  /**
   * What to ask: a path starting with `/` is taken from the replica's origin (llama-server's
   * `/health`, vLLM's `/health`), anything else from its API root. Default `models` (`/v1/models`).
   */
  path?: string | undefined;
  /** Consecutive failed checks that eject a replica. Default 2. */
  unhealthyAfter?: number | undefined;
  /**
   * Consecutive failed requests (unreachable, timed out, 5xx, a cut stream) that eject a replica
   * until its health check passes again; 0 turns this off. Only while background checks run
   * (`intervalMs` > 0): they are what admits it again. Default 3.
   */
  ejectAfterFailures?: number | undefined;
  /** Consecutive passed checks that admit an ejected replica again. Default 1. */
  healthyAfter?: number | undefined;
}
