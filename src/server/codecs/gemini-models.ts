import { WrenError } from "../../shared/errors.js";
import type { GeminiModelInfo } from "../../wire/gemini/index.js";
import type { ServedModelInfo } from "../model-host.js";

/** A served model (or router name) as a Gemini `Model`, named `models/{id}`. */
export function geminiModel(info: ServedModelInfo): GeminiModelInfo {
  const kind = info.routed ? "a router name (auto, a route or provider:model)" : [info.family, info.quantization].filter(Boolean).join(" ") || "a local model";
  return {
    name: `models/${info.id}`,
    baseModelId: info.id,
    version: info.modifiedAt ?? "local",
    displayName: info.id,
    description: `Served by wren: ${kind}.`,
    ...(info.contextLength ? { inputTokenLimit: info.contextLength, outputTokenLimit: info.contextLength } : {}),
    supportedGenerationMethods: ["generateContent", "streamGenerateContent", "countTokens", ...(info.embeddings ? ["embedContent", "batchEmbedContents"] : [])],
  };
}

/** The largest page `GET /v1beta/models` answers, as Google's API caps `pageSize`. */
const MAX_PAGE = 1000;

/** One page of a model list: `pageToken` is the offset of the page, as the previous page's `nextPageToken` gave it. */
export function geminiModelPage(
  infos: ServedModelInfo[],
  pageSize: string | undefined,
  pageToken: string | undefined,
): { models: GeminiModelInfo[]; nextPageToken?: string } {
  const size = pageSize === undefined ? 50 : Number(pageSize);
  if (!Number.isInteger(size) || size < 0) {
    throw new WrenError("bad_request", `pageSize must be a whole number, got '${pageSize}'.`, { hint: "Send a pageSize of 1 to 1000, or none.", details: { param: "pageSize" } });
  }
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0) {
    throw new WrenError("bad_request", `pageToken '${pageToken}' is not one this server gave.`, { hint: "Send the nextPageToken of the previous page, or none for the first page.", details: { param: "pageToken" } });
  }
  const end = start + Math.min(size === 0 ? 50 : size, MAX_PAGE);
  const models = infos.slice(start, end).map(geminiModel);
  return end < infos.length ? { models, nextPageToken: String(end) } : { models };
}
