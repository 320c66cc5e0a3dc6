import { openAICompatiblePresets } from "../providers/openai-compatible/presets.js";

/** The wire formats a cloud provider speaks, as `router.providers.<name>.kind` names them. */
export type ProviderWire = "openai-compatible" | "anthropic" | "gemini";

/** What a key check found: accepted, refused by the provider, or not checked (and why). */
export type KeyCheck = { status: "ok" } | { status: "refused"; httpStatus: number } | { status: "skipped"; reason: string };

/** Where a provider's API lives when config names no `baseURL`: its preset, or the native default. */
export function providerBaseURL(name: string, wire: ProviderWire): string | undefined {
  if (wire === "anthropic") return "https://api.anthropic.com";
  if (wire === "gemini") return "https://generativelanguage.googleapis.com";
  return openAICompatiblePresets[name]?.baseURL;
}

export interface KeyCheckOptions {
  wire: ProviderWire;
  baseURL: string;
  apiKey: string;
  /** Never touch the network: the check is skipped with that reason. */
  offline?: boolean;
  /** Give up after this long (default 8 s): a slow link must not hold the wizard. */
  timeoutMs?: number;
}

/** The cheapest authenticated request each wire format has: listing models. */
function listModelsRequest(wire: ProviderWire, baseURL: string, apiKey: string): { url: string; headers: Record<string, string> } {
  const root = baseURL.replace(/\/+$/, "");
  if (wire === "anthropic") return { url: `${root}/v1/models?limit=1`, headers: { "x-api-key": apiKey, "anthropic-version": "2023-06-01" } };
  if (wire === "gemini") return { url: `${root}/v1beta/models?pageSize=1`, headers: { "x-goog-api-key": apiKey } };
  return { url: `${root}/models`, headers: { authorization: `Bearer ${apiKey}` } };
}

/**
 * Checks a key with one cheap call (listing models). A 401 or 403 is a refusal; anything else the
 * provider says is taken as acceptance, since the key got past authentication. No answer at all
 * (offline, DNS, timeout) skips the check rather than failing: the key may well be right.
 */
export async function checkProviderKey(options: KeyCheckOptions): Promise<KeyCheck> {
  if (options.offline) return { status: "skipped", reason: "offline" };
  const { url, headers } = listModelsRequest(options.wire, options.baseURL, options.apiKey);
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 8000) });
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) return { status: "refused", httpStatus: response.status };
    return { status: "ok" };
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : `could not reach ${new URL(url).host}`;
    return { status: "skipped", reason };
  }
}
