import type { ProviderWire } from "../../runtime/provider-key-check.js";

/** A provider the wizard offers to add. */
export interface ProviderChoice {
  /** The name it gets in `router.providers` (a built-in name, so its preset applies). */
  name: string;
  label: string;
  wire: ProviderWire;
  /** The teacher model suggested for it; the person may type another. */
  model: string;
  /** True for "any OpenAI-compatible URL": the wizard asks for a name and the URL. */
  custom?: boolean;
}

/** The cloud providers `wren setup` knows by name, plus any OpenAI-compatible server. */
export const PROVIDER_CHOICES: readonly ProviderChoice[] = [
  { name: "anthropic", label: "Anthropic", wire: "anthropic", model: "claude-sonnet-4-6" },
  { name: "openai", label: "OpenAI", wire: "openai-compatible", model: "gpt-4o-mini" },
  { name: "gemini", label: "Google Gemini", wire: "gemini", model: "gemini-2.5-flash" },
  { name: "xai", label: "xAI", wire: "openai-compatible", model: "grok-3-mini" },
  { name: "mistral", label: "Mistral", wire: "openai-compatible", model: "mistral-small-latest" },
  { name: "groq", label: "Groq", wire: "openai-compatible", model: "llama-3.3-70b-versatile" },
  { name: "", label: "Any OpenAI-compatible URL", wire: "openai-compatible", model: "", custom: true },
];

/** The wire format of a configured provider: its `kind`, else what its name implies. */
export function wireOf(name: string, kind: string | undefined): ProviderWire {
  if (kind === "anthropic" || kind === "gemini" || kind === "openai-compatible") return kind;
  if (name === "anthropic" || name === "gemini") return name;
  return "openai-compatible";
}
