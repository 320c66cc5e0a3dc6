export { Engine, type LoadModelOptions, type EngineOptions, type PromptCacheOptions } from "./engine.js";
export { LocalModel, type LocalModelInfo, type LocalModelStats } from "./local-model.js";
export { checkModelFiles } from "./model-files-check.js";
export type { AdapterSpec } from "./adapter-pools.js";
export type { AnswerScore } from "./score.js";
export {
  GPU_CHOICES,
  availableBackends,
  maxThreads,
  parseGpuChoice,
  resolveThreads,
  type BackendOptions,
  type BackendReport,
  type GpuBackend,
  type GpuChoice,
} from "./backend.js";
