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
  /** True while the model is kept loaded with no expiry (Ollama's negative `keep_alive`). */
  keptLoaded?: boolean;
  /** True when the model answers embeddings. */
  embeddings?: boolean;
  /** True for a router name (`auto`, a route), which is no model file of its own. */
  routed?: boolean;
  /** Parameters counted from the file's tensors, when known. */
  parameterCount?: number;
  /**
   * Whether the GGUF carries a chat template, when known. A model without one is meant for raw
   * completion (`/v1/completions`, Ollama `raw`); its chat falls back to a generic format.
   */
  chatTemplate?: boolean;
  /** The chat template's text (the GGUF's `tokenizer.chat_template`), when known: Ollama's `/api/show` gives it as `template`. */
  template?: string;
  /** The LoRA adapter this name applies (`NAME:SCALE`), for a `base+adapter` name or a model configured with one. */
  adapter?: string;
  /**
   * The GGUF files the model reads (its file, and its draft model's), absolute, for a local model.
   * `/status` gives them, so that wren's own commands can tell which stored model is held whatever
   * name it is served under.
   */
  files?: string[];
}

/** One adapter the server can apply (`GET /v1/adapters`). */
export interface ServedAdapterInfo {
  name: string;
  /** The base model it belongs to, when known. */
  base?: string | undefined;
  architecture: string;
  scale: number;
  addedAt: string;
}

/** A loaded model. The language model is required; embeddings and token counting are optional. */
export interface ServedModel {
  info: ServedModelInfo;
  language: LanguageModel;
  embedding?: EmbeddingModel;
  tokens?: TokenCounter;
}

/** How busy one served model is now: its admission, as the model itself keeps it. */
export interface ModelQueue {
  id: string;
  /** Requests admitted (one per parallel sequence at most). */
  active: number;
  /** Requests waiting in line for a sequence. */
  queued: number;
  /** Parallel sequences: requests admitted at once. */
  capacity: number;
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
  /**
   * How long the model stays loaded once no request holds it, from now on (Ollama's `keep_alive`):
   * 0 unloads it as soon as it is idle (now, when no request holds it), a negative value keeps it
   * loaded. Optional: hosts without local models have nothing to unload.
   */
  keepAlive?(id: string, ms: number): Promise<void>;
  /**
   * Each served model's admission now (zeros while it is not loaded). The model admits, queues and
   * refuses requests itself (`overloaded`, 429, past its queue); the server only reports this in
   * `/metrics` and `/status`. Absent: the host has no models of its own.
   */
  queues?(): ModelQueue[];
  /**
   * Requests to routed names (`auto`, routes, `provider:model`) being answered now, from their
   * lease to its release (a streamed answer until it ends): `/status` reports them apart from the
   * local models' admissions. Absent: the host routes nothing.
   */
  routedInFlight?(): number;
  /** The LoRA adapters requests may name (read afresh each call); absent: none. */
  adapters?(): Promise<ServedAdapterInfo[]>;
  /** Adds and removes models at run time (Ollama's pull, create, copy, delete); absent: the list is fixed. */
  manager?: ModelManager | undefined;
}

/** One progress report of a pull: bytes of one file. */
export interface PullProgress {
  /** The file being fetched. */
  file: string;
  /** `sha256:<hex>` of the file, when the source publishes it. */
  digest?: string | undefined;
  total: number;
  completed: number;
}

/** Options of {@link ModelManager.pull}. */
export interface PullCallOptions {
  signal: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /**
   * Status lines for people: "pulling manifest" once the pull is allowed and starts, then e.g. that
   * it waits for another download of the same file.
   */
  onStatus?: (status: string) => void;
}

/**
 * Model management at run time. Names a client adds are served at once (listed, loadable); a
 * removed name is unloaded before anything of it is deleted.
 */
export interface ModelManager {
  /**
   * Fetches a model into the store (any reference the store accepts: `hf:org/repo:quant`, a URL, a
   * catalog name) and serves it under that name. Throws `forbidden` when the server does not allow
   * pulling.
   */
  pull(ref: string, options: PullCallOptions): Promise<ServedModelInfo>;
  /** Serves a GGUF file on the server's disk, or an existing model's file, under a new name. */
  create(name: string, from: string): Promise<ServedModelInfo>;
  /** Serves an existing model under another name too. */
  copy(source: string, destination: string): Promise<ServedModelInfo>;
  /**
   * Stops serving a name: unloads it (after its running requests) and, when no other name serves
   * the same file and the file is in wren's store, deletes it from the store.
   */
  remove(name: string): Promise<void>;
}
