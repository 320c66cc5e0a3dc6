/** A known OpenAI-compatible service: where it lives (its key's variable is `providerKeyEnv`'s, shared/provider-key-env.ts). */
export interface OpenAICompatiblePreset {
  baseURL: string;
  /** True for servers on this machine or network that take no key. */
  keyOptional?: boolean;
  /** The server reads vLLM's `continue_final_message` (see `OpenAICompatibleModelOptions`). */
  continuesFinalMessage?: boolean;
}

/** Presets by provider name; `baseURL` in config overrides them. */
export const openAICompatiblePresets: Record<string, OpenAICompatiblePreset> = {
  openai: { baseURL: "https://api.openai.com/v1" },
  groq: { baseURL: "https://api.groq.com/openai/v1" },
  mistral: { baseURL: "https://api.mistral.ai/v1" },
  xai: { baseURL: "https://api.x.ai/v1" },
  deepseek: { baseURL: "https://api.deepseek.com/v1" },
  openrouter: { baseURL: "https://openrouter.ai/api/v1" },
  vllm: { baseURL: "http://127.0.0.1:8000/v1", keyOptional: true, continuesFinalMessage: true },
  lmstudio: { baseURL: "http://127.0.0.1:1234/v1", keyOptional: true },
  "llama-cpp": { baseURL: "http://127.0.0.1:8080/v1", keyOptional: true },
  wren: { baseURL: "http://127.0.0.1:11435/v1", keyOptional: true },
};
