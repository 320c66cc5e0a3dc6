import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";

export interface ApiKeySource {
  /** Provider name, for the message. */
  provider: string;
  /** A key given in config; wins over the environment. */
  configKey?: string | undefined;
  /** The environment variable that holds the key, e.g. `OPENAI_API_KEY`. */
  envVar?: string | undefined;
  /** Local servers (vLLM, LM Studio, llama.cpp, another wren) need no key. */
  optional?: boolean;
}

/** The API key for a provider, from config or its environment variable; a missing key names the variable. */
export function resolveApiKey(source: ApiKeySource, env: Env = process.env): string | undefined {
  if (source.configKey) return source.configKey;
  const fromEnv = source.envVar ? env[source.envVar] : undefined;
  if (fromEnv) return fromEnv;
  if (source.optional) return undefined;
  const where = source.envVar ? `Set ${source.envVar}` : "Set an API key";
  throw new WrenError("unauthorized", `No API key for ${source.provider}${source.envVar ? `: ${source.envVar} is not set` : ""}.`, {
    hint: `${where} in the environment, or set \`apiKey\` for ${source.provider} in the router config.`,
  });
}
