/** A GGUF that another tool already downloaded, usable in place. */
export interface DiscoveredModel {
  /** The name users type: `llama3.2:3b` (Ollama), `publisher/repo/file.gguf` (LM Studio). */
  name: string;
  path: string;
  size: number;
  source: "ollama" | "lmstudio";
}

/** Where to look: injectable so tests use temp dirs. */
export interface DiscoveryOptions {
  /** The user's home directory. Default `os.homedir()`. */
  home?: string;
  /** Environment for OLLAMA_MODELS. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}
