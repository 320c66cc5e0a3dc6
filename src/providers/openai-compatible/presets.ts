/** A known OpenAI-compatible service: where it lives and which variable holds its key. */
export interface OpenAICompatiblePreset {
  baseURL: string;
  /** Environment variable with the API key; absent for servers that need none. */
  envVar?: string;
  /** True for servers on this machine or network that take no key. */
  keyOptional?: boolean;
  /** The server reads vLLM's `continue_final_message` (see `OpenAICompatibleModelOptions`). */
  continuesFinalMessage?: boolean;
}

/** Presets by provider name; `baseURL` in config overrides them. */
export const openAICompatiblePresets: Record<string, OpenAICompatiblePreset> = {
  openai: { baseURL: "https://api.openai.com/v1", envVar: "OPENAI_API_KEY" },
  groq: { baseURL: "https://api.groq.com/openai/v1", envVar: "GROQ_API_KEY" },
  mistral: { baseURL: "https://api.mistral.ai/v1", envVar: "MISTRAL_API_KEY" },
  xai: { baseURL: "https://api.x.ai/v1", envVar: "XAI_API_KEY" },
  deepseek: { baseURL: "https://api.deepseek.com/v1", envVar: "DEEPSEEK_API_KEY" },
  openrouter: { baseURL: "https://openrouter.ai/api/v1", envVar: "OPENROUTER_API_KEY" },
  vllm: { baseURL: "http://127.0.0.1:8000/v1", keyOptional: true, continuesFinalMessage: true },
  lmstudio: { baseURL: "http://127.0.0.1:1234/v1", keyOptional: true },
  "llama-cpp": { baseURL: "http://127.0.0.1:8080/v1", keyOptional: true },
  wren: { baseURL: "http://127.0.0.1:11435/v1", envVar: "WREN_API_KEY", keyOptional: true },
};
