import { defaultConfig, type WrenConfig, type WrenConfigInput } from "../../src/config/index.js";

/**
 * The environment of a `wren` child process whose only model is a teacher stand-in at `baseURL`
 * (OpenAI wire, cloud use allowed, no local model), with everything else under `home`.
 */
export function teacherEnv(home: string, baseURL: string): Record<string, string> {
  return {
    WREN_HOME: home,
    WREN_MODELS_DEFAULT: "",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL, cloud: true } }),
    OPENAI_API_KEY: "sk-test",
  };
}

/**
 * The router configuration of an in-process `startServer` whose one teacher is an OpenAI stand-in
 * at `url` (its origin; cloud use allowed, no health checks), with `extra` router settings on top.
 */
export function teacherRouter(url: string, extra: NonNullable<WrenConfigInput["router"]> = {}): WrenConfig["router"] {
  return defaultConfig({ env: {} }, { router: { healthIntervalMs: 0, cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${url}/v1`, cloud: true } }, ...extra } }).router;
}
