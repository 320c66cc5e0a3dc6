/**
 * wren's configuration: one zod schema composed from sections (see schema.ts), loaded in layers
 * defaults < user file < project file < environment < flags. Other layers import from here only.
 */
import type { WrenConfig } from "./config-schema.js";

export { loadConfig, defaultConfig, sectionContext, CONFIG_LAYERS } from "./load-config.js";
export { flagsFromOptions } from "./cli-flags.js";
export type { ConfigFlags } from "./cli-flags.js";
export type { LoadConfigOptions, LoadedConfig, ConfigSource, ConfigLayer } from "./load-config.js";
export { checkConfigFile, projectFileLimitProblems } from "./check-file.js";
export type { CheckFileOptions } from "./check-file.js";
export { locateConfigFiles, findProjectFile, PROJECT_FILE_NAME } from "./locate.js";
export type { ConfigFiles, ConfigFileInfo, LocateOptions } from "./locate.js";
export { createConfigSchema, configJsonSchema } from "./config-schema.js";
export type { WrenConfig, WrenConfigInput, ConfigSchema, JsonSchemaNode } from "./config-schema.js";
export { envVarName } from "./env-layer.js";
export { formatProblem, configError } from "./problem.js";
export { joinKeyPath, parseKeyPath, quoteKey } from "./key-path.js";
export type { ConfigProblem } from "./problem.js";
export type { SectionContext } from "./sections/context.js";
export { GPU_BACKENDS } from "./sections/engine.js";
export { LOG_FORMATS, LOG_LEVELS } from "./sections/logging.js";

export type EngineConfig = WrenConfig["engine"];
export type ModelsConfig = WrenConfig["models"];
export type ServerConfig = WrenConfig["server"];
export type LoggingConfig = WrenConfig["logging"];
export type GpuBackend = EngineConfig["gpu"];
export type LogLevel = LoggingConfig["level"];
export type LogFormat = LoggingConfig["format"];
export { showRows, renderShowText, renderShowJson, masked } from "./render-show.js";
export type { ShowRow } from "./render-show.js";
export { renderConfigDocs, DOCS_CONTEXT } from "./render-docs.js";
export { resolveConfigKey, configValue, checkConfigText, getConfigKey } from "./config-key.js";
export type { ConfigKey } from "./config-key.js";
export { setTomlKey, unsetTomlKey, inlineToml } from "./toml-edit.js";
export { tildify } from "./tildify.js";
