import type { LanguageModel } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { isLoopbackUrl } from "../shared/loopback.js";
import type { Env } from "../shared/paths.js";
import { providerKeyEnv } from "../shared/provider-key-env.js";
import { resolveApiKey } from "./api-key.js";
import { LazyModel } from "./lazy-model.js";
import { OpenAICompatibleModel } from "./openai-compatible/model.js";
import { PeerModel } from "./peer/model.js";
import type { ProviderLog } from "./provider-log.js";
import type { PeerSource } from "./peer/source.js";
import { openAICompatiblePresets } from "./openai-compatible/presets.js";
import { PoolModel } from "./pool/model.js";
import type { PoolHealthOptions } from "./pool/options.js";
import { PoolSet } from "./pool/pool-set.js";
import { WrenModel } from "./wren/model.js";

export type ProviderKind = "openai-compatible" | "anthropic" | "gemini" | "ollama" | "pool";

/** How to reach one named provider. Everything is optional for the built-in names. */
export interface ProviderSettings {
  /** Wire format; inferred from the name for built-in providers, `openai-compatible` otherwise. */
  kind?: ProviderKind | undefined;
  baseURL?: string | undefined;
  /** The key itself; prefer `apiKeyEnv` so keys stay out of files. */
  apiKey?: string | undefined;
  /** Environment variable holding the key (defaults per provider, e.g. `OPENAI_API_KEY`). */
  apiKeyEnv?: string | undefined;
  headers?: Record<string, string> | undefined;
  /**
   * Count this provider as cloud for consent even when its URL is on loopback (a local proxy or
   * tunnel to a cloud API). Default: cloud unless the URL is on loopback.
   */
  cloud?: boolean | undefined;
  /** `kind = "pool"`: the API roots of its OpenAI-compatible replicas. */
  replicas?: string[] | undefined;
  /** `kind = "pool"`: requests one replica takes at once. Default: no limit. */
  maxConcurrent?: number | undefined;
  /** `kind = "pool"`: with every replica full, `queue` (default) or `reject`. */
  whenFull?: "queue" | "reject" | undefined;
  /** `kind = "pool"`: keep a conversation on its replica while it is healthy. Default true. */
  affinity?: boolean | undefined;
  /** `kind = "pool"`: the replicas read vLLM's `continue_final_message` (see `PoolOptions`). Default false. */
  continueFinalMessage?: boolean | undefined;
  /** `kind = "pool"`: health checks, ejection and re-admission of replicas. */
  health?: PoolHealthOptions | undefined;
}

const MODEL_REF = /^([a-z0-9][a-z0-9_-]*)[:/](.+)$/i;

/** Splits `provider:model` or `provider/model` (the model part may itself contain `/` or `:`). */
export function parseModelRef(ref: string): { provider: string; modelId: string } {
  const match = MODEL_REF.exec(ref);
  if (!match) {
    throw new WrenError("bad_request", `"${ref}" is not a provider/model id.`, {
      hint: 'Write it as provider:model, e.g. "openai:gpt-4o-mini", "anthropic:claude-sonnet-4-6" or "local:qwen3".',
    });
  }
  return { provider: match[1]!.toLowerCase(), modelId: match[2]! };
}

/** Providers whose kind is their name. */
const NATIVE_PROVIDERS: readonly string[] = ["anthropic", "gemini", "ollama"];

/**
 * True when `provider` names one wren can call: `local`, `peer`, a built-in preset, Anthropic,
 * Gemini, Ollama, or one set in `router.providers`. Anything else before a colon is part of a model's
 * name (`llama3:latest`), not a provider.
 */
export function isKnownProvider(provider: string, providers: Record<string, ProviderSettings> | undefined): boolean {
  const name = provider.toLowerCase();
  return name === "local" || name === "peer" || name in openAICompatiblePresets || NATIVE_PROVIDERS.includes(name) || (providers !== undefined && name in providers);
}

/** `ref` as `provider:model` when its provider is one wren knows ({@link isKnownProvider}); else undefined. */
export function knownModelRef(ref: string, providers: Record<string, ProviderSettings> | undefined): { provider: string; modelId: string } | undefined {
  const match = MODEL_REF.exec(ref);
  if (!match || !isKnownProvider(match[1]!, providers)) return undefined;
  return { provider: match[1]!.toLowerCase(), modelId: match[2]! };
}

function kindOf(provider: string, settings: ProviderSettings | undefined): ProviderKind {
  if (settings?.kind) return settings.kind;
  if (NATIVE_PROVIDERS.includes(provider)) return provider as ProviderKind;
  return "openai-compatible";
}

export interface ResolvedProvider {
  model: LanguageModel;
  /** Where its requests go; undefined for in-process models. */
  baseURL: string | undefined;
  /** False when every request stays on loopback (local engine, a server on this machine). */
  leavesMachine: boolean;
}

export interface RegistryOptions {
  providers?: Record<string, ProviderSettings>;
  env?: Env;
  /** Builds `local:<id>` models (the engine); absent in proxy-only mode. */
  local?: (modelId: string) => LanguageModel;
  /** Shares each pool's replica state between its models; a fresh set per call when absent. */
  pools?: PoolSet;
  /** The LAN peers discovery knows, for `peer:<name>/<model>` targets; absent when discovery is off. */
  peers?: PeerSource;
  /** Where the providers' SDKs warn (see {@link ProviderLog}). Default: nowhere; never the console. */
  log?: ProviderLog | undefined;
}

/**
 * Builds the LanguageModel for `provider:model`: `local`, any OpenAI-compatible preset or
 * configured name, `anthropic`, `gemini`, `ollama`. A missing API key throws, naming the variable.
 * The Anthropic, Gemini and Ollama models' modules are imported on their first call (see
 * {@link LazyModel}); the OpenAI-compatible one, the commonest teacher, imports its client on its first call.
 */
export function createModel(ref: string, options: RegistryOptions = {}): ResolvedProvider {
  const { provider, modelId } = parseModelRef(ref);
  const env = options.env ?? process.env;
  if (!isKnownProvider(provider, options.providers)) {
    throw new WrenError("model_not_found", `No model, route or provider named "${ref}".`, {
      hint: `"${provider}" is no provider wren knows. Use a model this server lists, "auto", a route, or provider:model with a known provider (openai, anthropic, gemini, ollama, groq, …) or one set in router.providers.`,
    });
  }
  if (provider === "local") {
    if (!options.local) {
      throw new WrenError("model_not_found", `No local engine to run "${ref}" (proxy-only mode).`, {
        hint: "Route to a cloud target instead, or start wren with a local model.",
      });
    }
    return { model: options.local(modelId), baseURL: undefined, leavesMachine: false };
  }
  if (provider === "peer") {
    if (!options.peers) {
      throw new WrenError("config_invalid", `"${ref}" names a LAN peer, and peer discovery is off.`, {
        hint: "Set peers.discover = true (and the shared peers.key) in the config, then restart the server.",
      });
    }
    // A peer is one of the user's own machines sharing their key, not a cloud service.
    return { model: new PeerModel(options.peers, modelId), baseURL: undefined, leavesMachine: false };
  }
  const settings = options.providers?.[provider];
  const kind = kindOf(provider, settings);
  const preset = openAICompatiblePresets[provider];
  const envVar = settings?.apiKeyEnv ?? providerKeyEnv(provider);
  const keySource = { provider, configKey: settings?.apiKey, envVar };
  const leaves = (baseURL: string) => settings?.cloud ?? !isLoopbackUrl(baseURL);
  switch (kind) {
    case "pool": {
      const replicas = settings?.replicas ?? [];
      const apiKey = resolveApiKey({ ...keySource, optional: true }, env);
      const leavesMachine = settings?.cloud ?? !replicas.every(isLoopbackUrl);
      const pool = (options.pools ?? new PoolSet()).get({
        name: provider,
        replicas,
        maxConcurrent: settings?.maxConcurrent,
        whenFull: settings?.whenFull,
        affinity: settings?.affinity,
        continueFinalMessage: settings?.continueFinalMessage,
        health: settings?.health,
        apiKey,
        headers: settings?.headers,
      }, leavesMachine);
      return { model: new PoolModel(pool, modelId), baseURL: replicas[0], leavesMachine };
    }
    case "anthropic": {
      const baseURL = settings?.baseURL ?? "https://api.anthropic.com";
      const apiKey = resolveApiKey(keySource, env)!;
      const model = new LazyModel("anthropic", modelId, async () => new (await import("./anthropic/model.js")).AnthropicModel({ modelId, apiKey, baseURL, headers: settings?.headers, log: options.log }));
      return { model, baseURL, leavesMachine: leaves(baseURL) };
    }
    case "gemini": {
      const baseURL = settings?.baseURL ?? "https://generativelanguage.googleapis.com";
      const apiKey = resolveApiKey(keySource, env)!;
      const model = new LazyModel("gemini", modelId, async () => new (await import("./gemini/model.js")).GeminiModel({ modelId, apiKey, baseURL, headers: settings?.headers }));
      return { model, baseURL, leavesMachine: leaves(baseURL) };
    }
    case "ollama": {
      const baseURL = settings?.baseURL ?? env["OLLAMA_HOST"] ?? "http://127.0.0.1:11434";
      const model = new LazyModel("ollama", modelId, async () => new (await import("./ollama/model.js")).OllamaModel({ modelId, baseURL, headers: settings?.headers }));
      return { model, baseURL, leavesMachine: leaves(baseURL) };
    }
    case "openai-compatible": {
      const baseURL = settings?.baseURL ?? preset?.baseURL;
      if (!baseURL) {
        throw new WrenError("config_invalid", `Provider "${provider}" has no baseURL.`, {
          hint: `Set router.providers.${provider}.baseURL (e.g. "http://127.0.0.1:8000/v1"), or use a known provider name.`,
        });
      }
      const apiKey = resolveApiKey({ ...keySource, optional: preset?.keyOptional ?? isLoopbackUrl(baseURL) }, env);
      const target = { provider, modelId, baseURL, apiKey, headers: settings?.headers };
      return {
        // Another wren: its Gemini API for enum answers, which it holds to the bare value.
        model: provider === "wren" ? new WrenModel(target) : new OpenAICompatibleModel({ ...target, continuesFinalMessage: preset?.continuesFinalMessage }),
        baseURL,
        leavesMachine: leaves(baseURL),
      };
    }
  }
}
