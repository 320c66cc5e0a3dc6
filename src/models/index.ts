/**
 * Model management: references, the store, downloads from the Hugging Face Hub (or a mirror), and
 * models other tools already downloaded. `resolveModelRef` is the one entry point the rest of wren
 * needs: any reference in, a GGUF file on disk out.
 */
export { resolveModelRef, type ModelSource, type ResolveModelOptions, type ResolvedModel } from "./resolve.js";
export { pullModel, type PullOptions, type PullResult } from "./pull.js";
export { parseModelRef, formatModelRef, quantOfFileName, type ModelRef } from "./ref.js";
export { createProgressRenderer, type ProgressRendererOptions } from "./progress.js";
export type { DownloadProgress, ProgressListener } from "./download.js";
export { readManifest, type ManifestEntry } from "./manifest.js";
export { catalog, findCatalogEntry, type CatalogEntry, type CatalogPurpose } from "./catalog.js";
export { discoverOllamaModels } from "./discovery/ollama-store.js";
export { discoverLmStudioModels } from "./discovery/lmstudio.js";
export { listOllamaServerModels, ollamaHost, type RemoteOllamaModel } from "./discovery/ollama-server.js";
export type { DiscoveredModel } from "./discovery/types.js";
export { parseBytes, formatBytes } from "./bytes.js";
export { hubEndpoint } from "./hub.js";
export { checkFit, assertFits, memoryBudget, type FitResult, type MemoryBudget, type MemoryBudgetOptions } from "./fit.js";
export { recommendModel, type Recommendation } from "./recommend.js";
export { listModels, type ListedModel, type ModelListing } from "./listing.js";
