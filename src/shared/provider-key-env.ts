/**
 * The environment variable each built-in provider reads its API key from when config names none
 * (`apiKeyEnv`). A leaf, because two layers need it: the providers, to find the key, and the config
 * loader, which keeps a project's `wren.toml` from pointing such a provider somewhere else.
 */
export const PROVIDER_KEY_ENV: Readonly<Record<string, string>> = {
  openai: "OPENAI_API_KEY",
  groq: "GROQ_API_KEY",
  mistral: "MISTRAL_API_KEY",
  xai: "XAI_API_KEY",
  deepseek: "DEEPSEEK_API_KEY",
  openrouter: "OPENROUTER_API_KEY",
  wren: "WREN_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  gemini: "GEMINI_API_KEY",
};

/** The variable `provider`'s key comes from by default, if any. */
export function providerKeyEnv(provider: string): string | undefined {
  return Object.hasOwn(PROVIDER_KEY_ENV, provider) ? PROVIDER_KEY_ENV[provider] : undefined;
}
