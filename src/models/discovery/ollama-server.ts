import { z } from "zod";
import { isLoopbackUrl } from "../../shared/loopback.js";
import type { FetchLike } from "../hub.js";

/** A model a running Ollama server offers (used through the `ollama:` provider, not loaded here). */
export interface RemoteOllamaModel {
  name: string;
  size: number | null;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  modifiedAt: string | null;
}

const tagsSchema = z.looseObject({
  models: z.array(
    z.looseObject({
      name: z.string(),
      size: z.number().nullish(),
      modified_at: z.string().nullish(),
      details: z
        .looseObject({ family: z.string().nullish(), parameter_size: z.string().nullish(), quantization_level: z.string().nullish() })
        .nullish(),
    }),
  ),
});

/** `OLLAMA_HOST` as a base URL (Ollama accepts `host:port` without a scheme). Default 127.0.0.1:11434. */
export function ollamaHost(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const raw = env["OLLAMA_HOST"] || "127.0.0.1:11434";
  const withScheme = /^https?:\/\//i.test(raw) ? raw : `http://${raw}`;
  const url = new URL(withScheme);
  if (!url.port && !/^https?:\/\/[^/]+:\d+/i.test(withScheme)) url.port = url.protocol === "https:" ? "443" : "11434";
  return url.origin;
}

export interface OllamaServerOptions {
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: FetchLike;
  /** Give up after this many ms (a server that is not running should not slow `models list`). Default 1500. */
  timeoutMs?: number;
  /** Offline (`router.offline`, `--offline`): a server beyond this machine's loopback is not asked. Default false. */
  offline?: boolean;
}

/**
 * Lists a running Ollama server's models (`GET /api/tags`); `undefined` when none answers, and,
 * offline, when `OLLAMA_HOST` is not on this machine's loopback (it is not asked).
 */
export async function listOllamaServerModels(options: OllamaServerOptions = {}): Promise<{ host: string; models: RemoteOllamaModel[] } | undefined> {
  const host = ollamaHost(options.env);
  if (options.offline && !isLoopbackUrl(host)) return undefined;
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const response = await doFetch(`${host}/api/tags`, { signal: AbortSignal.timeout(options.timeoutMs ?? 1500) });
    if (!response.ok) return undefined;
    const parsed = tagsSchema.safeParse(await response.json());
    if (!parsed.success) return undefined;
    return {
      host,
      models: parsed.data.models.map((m) => ({
        name: m.name,
        size: m.size ?? null,
        family: m.details?.family ?? null,
        parameterSize: m.details?.parameter_size ?? null,
        quantization: m.details?.quantization_level ?? null,
        modifiedAt: m.modified_at ?? null,
      })),
    };
  } catch {
    return undefined;
  }
}
