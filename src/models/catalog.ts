import { editDistance } from "../config/suggest.js";
/** What a catalog model is for. */
export type CatalogPurpose = "chat" | "code" | "embedding";

/** One entry of wren's built-in catalog: a well-known GGUF on the Hugging Face Hub. */
export interface CatalogEntry {
  /** Short name users type: `wren pull qwen2.5-1.5b`. */
  name: string;
  purpose: CatalogPurpose;
  /** Size class by parameter count, for `models recommend`. */
  sizeClass: "tiny" | "small" | "medium" | "large";
  repo: string;
  /** File inside the repo. The SHA-256 is not stored here: it comes from the Hub's ETag at download. */
  file: string;
  /** Approximate download size in bytes (the Hub's listing is authoritative). */
  sizeBytes: number;
  /** Training context length. */
  contextLength: number;
  licence: string;
  description: string;
}

/**
 * A small, curated list. Kept as data so it can be updated without touching code; the sizes are the
 * Hub's rounded figures and only guide `models recommend`.
 */
export const catalog: readonly CatalogEntry[] = [
  {
    name: "qwen2.5-0.5b",
    purpose: "chat",
    sizeClass: "tiny",
    repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
    file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
    sizeBytes: 491_000_000,
    contextLength: 32768,
    licence: "apache-2.0",
    description: "Qwen2.5 0.5B Instruct, Q4_K_M: fast chat on any machine.",
  },
  {
    name: "qwen2.5-1.5b",
    purpose: "chat",
    sizeClass: "small",
    repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
    file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
    sizeBytes: 1_120_000_000,
    contextLength: 32768,
    licence: "apache-2.0",
    description: "Qwen2.5 1.5B Instruct, Q4_K_M: a capable small chat model.",
  },
  {
    name: "llama3.2-3b",
    purpose: "chat",
    sizeClass: "small",
    repo: "bartowski/Llama-3.2-3B-Instruct-GGUF",
    file: "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
    sizeBytes: 2_019_377_600,
    contextLength: 131072,
    licence: "llama3.2",
    description: "Llama 3.2 3B Instruct, Q4_K_M: good general chat for 4–8 GB of memory.",
  },
  {
    name: "qwen2.5-7b",
    purpose: "chat",
    sizeClass: "medium",
    repo: "bartowski/Qwen2.5-7B-Instruct-GGUF",
    file: "Qwen2.5-7B-Instruct-Q4_K_M.gguf",
    sizeBytes: 4_680_000_000,
    contextLength: 32768,
    licence: "apache-2.0",
    description: "Qwen2.5 7B Instruct, Q4_K_M: strong chat and tool use for 8 GB and more.",
  },
  {
    name: "qwen2.5-14b",
    purpose: "chat",
    sizeClass: "large",
    repo: "bartowski/Qwen2.5-14B-Instruct-GGUF",
    file: "Qwen2.5-14B-Instruct-Q4_K_M.gguf",
    sizeBytes: 8_990_000_000,
    contextLength: 32768,
    licence: "apache-2.0",
    description: "Qwen2.5 14B Instruct, Q4_K_M: for 16 GB of memory and more.",
  },
  {
    name: "qwen2.5-coder-1.5b",
    purpose: "code",
    sizeClass: "small",
    repo: "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    file: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    sizeBytes: 1_120_000_000,
    contextLength: 32768,
    licence: "apache-2.0",
    description: "Qwen2.5 Coder 1.5B Instruct, Q4_K_M: code completion and small edits.",
  },
  {
    name: "qwen2.5-coder-7b",
    purpose: "code",
    sizeClass: "medium",
    repo: "bartowski/Qwen2.5-Coder-7B-Instruct-GGUF",
    file: "Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf",
    sizeBytes: 4_680_000_000,
    contextLength: 32768,
    licence: "apache-2.0",
    description: "Qwen2.5 Coder 7B Instruct, Q4_K_M: coding assistant for 8 GB and more.",
  },
  {
    name: "nomic-embed-text-v1.5",
    purpose: "embedding",
    sizeClass: "tiny",
    repo: "nomic-ai/nomic-embed-text-v1.5-GGUF",
    file: "nomic-embed-text-v1.5.Q8_0.gguf",
    sizeBytes: 146_146_432,
    contextLength: 2048,
    licence: "apache-2.0",
    description: "Nomic Embed Text v1.5, Q8_0: 768-dimension text embeddings.",
  },
  {
    name: "bge-small-en-v1.5",
    purpose: "embedding",
    sizeClass: "tiny",
    repo: "CompendiumLabs/bge-small-en-v1.5-gguf",
    file: "bge-small-en-v1.5-q8_0.gguf",
    sizeBytes: 36_800_000,
    contextLength: 512,
    licence: "mit",
    description: "BGE small English v1.5, Q8_0: compact 384-dimension embeddings.",
  },
];

/**
 * The catalog names a name not in it was likely meant as, closest first, at most three: a typo
 * (`qwen2.5-15b`: `qwen2.5-1.5b`, `qwen2.5-14b`) or a name without its size (`llama3.2`).
 */
export function closeCatalogNames(name: string, entries: readonly CatalogEntry[] = catalog): string[] {
  return closeModelNames(name, entries.map((entry) => entry.name));
}

/**
 * Of `names` (the catalog's, or those of the models here), the ones `name` was likely meant as,
 * closest first, at most three: a few edits away, or `name` followed by more (`llama3.2`: `llama3.2-3b`).
 */
export function closeModelNames(name: string, names: readonly string[]): string[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === "") return [];
  const allowed = Math.max(1, Math.floor(wanted.length / 4));
  return [...new Set(names)]
    .map((candidate) => ({ name: candidate, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .filter((c) => c.distance <= allowed || c.name.toLowerCase().startsWith(`${wanted}-`))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map((c) => c.name);
}

/** `a`, `a or b`, `a, b or c`: names for a "did you mean". */
export function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)!}`;
}

export function findCatalogEntry(name: string, entries: readonly CatalogEntry[] = catalog): CatalogEntry | undefined {
  const wanted = name.toLowerCase();
  return entries.find((entry) => entry.name === wanted);
}
