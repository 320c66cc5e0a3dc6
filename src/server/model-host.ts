import type { EmbeddingModel, LanguageModel, TokenCounter } from "../protocol/index.js";

/** What the server knows about one configured model, loaded or not. */
export interface ServedModelInfo {
  /** The name clients use. */
  id: string;
  /** Other names that resolve to this model. */
  aliases: string[];
  /** True while the model is in memory. */
  loaded: boolean;
  /** Sequences that decode at once; the server admits this many requests and queues the rest. */
  parallel: number;
  /** Default context window in tokens, when known. */
  contextLength?: number;
  /** File size in bytes, when known. */
  sizeBytes?: number;
  /** Architecture / family (`llama`, `qwen2`, ...), when known. */
  family?: string;
  /** Quantization name (`Q8_0`, `F32`, ...), when known. */
  quantization?: string;
  /** When the model was added (file modification time), ISO 8601. */
  modifiedAt?: string;
  /** When the idle model will be unloaded, ISO 8601, when loaded. */
  expiresAt?: string;
  /** True when the model answers embeddings. */
  embeddings?: boolean;
  /** True for a router name (`auto`, a route), which is no model file of its own. */
  routed?: boolean;
}

/** A loaded model. The language model is required; embeddings and token counting are optional. */
export interface ServedModel {
  info: ServedModelInfo;
  language: LanguageModel;
  embedding?: EmbeddingModel;
  tokens?: TokenCounter;
}

/** A loaded model held for one request; `release()` lets the host unload it again once idle. */
export interface ModelLease {
  model: ServedModel;
  release(): void;
}

/**
 * The server's port to whatever hosts models (the local engine, or the router). The server never
 * loads models itself; runtime/ implements this.
 */
export interface ModelHost {
  /** Every configured model. */
  list(): ServedModelInfo[];
  /** The model a client's name (id or alias) refers to, or undefined. */
  resolve(name: string): ServedModelInfo | undefined;
  /**
   * Loads the model if needed and holds it for one request. Throws WrenError `not_ready` (503) when
   * it cannot be made ready now, `model_load_failed` when loading failed.
   */
  acquire(id: string, signal?: AbortSignal): Promise<ModelLease>;
}
