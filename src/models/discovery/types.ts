/** A GGUF that another tool already downloaded, usable in place. */
export interface DiscoveredModel {
  /** The name users type: `llama3.2:3b` (Ollama), `publisher/repo/file.gguf` (LM Studio). */
  name: string;
  path: string;
  size: number;
  source: "ollama" | "lmstudio";
  /** Its file is gone though the tool still lists the model (an Ollama blob deleted by hand): it cannot run. */
  missing?: boolean;
}

/** Where to look: injectable so tests use temp dirs. */
export interface DiscoveryOptions {
  /** The user's home directory. Default `os.homedir()`. */
  home?: string;
  /** Environment for OLLAMA_MODELS. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Whose folders to look in: Linux has Ollama's service store too. Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** The file system's root, under which system-wide folders (`/usr/share/ollama`) are looked for. Default `/`. */
  root?: string;
}
