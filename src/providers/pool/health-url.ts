/**
 * Where a replica's health check goes: a path starting with `/` from the replica's origin (the
 * `/health` of llama-server and vLLM), anything else from its API root (`models` → `/v1/models`).
 */
export function replicaHealthUrl(baseURL: string, path = "models"): string {
  if (path.startsWith("/")) return new URL(path, baseURL).toString();
  return `${baseURL.replace(/\/+$/, "")}/${path}`;
}

/** A replica passes its check when the endpoint answers 2xx: llama-server says 503 while it loads. */
export async function checkReplica(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch(url, { headers, signal });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
