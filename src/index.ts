/**
 * wren's programmatic API: the canonical contract, the local engine, the server, the router, model
 * management, configuration and the shell safety analysis. Everything here is stable to import;
 * deeper paths are internal.
 */
export * from "./protocol/index.js";
export { WrenError, isWrenError, httpStatusOf, exitCodeOf, type ErrorCode, type SerializedError } from "./shared/errors.js";
export { resolvePaths, type WrenPaths } from "./shared/paths.js";

export { loadConfig, defaultConfig, type WrenConfig, type LoadConfigOptions } from "./config/index.js";

export {
  Engine,
  LocalModel,
  GPU_CHOICES,
  type BackendOptions,
  type BackendReport,
  type GpuChoice,
  type LoadModelOptions,
  type LocalModelInfo,
} from "./engine/index.js";
export { openLocalModel, type OpenLocalModelOptions, type OpenedLocalModel } from "./runtime/local.js";

export { resolveModelRef, pullModel, parseModelRef, type ResolvedModel, type ResolveModelOptions } from "./models/index.js";
export { inspectGgufFile } from "./models/gguf-check.js";
export type { GgufSummary } from "./models/gguf-info.js";

export { startServer, type StartServerOptions, type RunningServer } from "./runtime/serve.js";
export { buildRouter, type BuildRouterOptions, type BuiltRouter } from "./runtime/router.js";

export { createShellAnalyzer, analyze as analyzeCommand, type ShellAnalyzer } from "./shell/index.js";
