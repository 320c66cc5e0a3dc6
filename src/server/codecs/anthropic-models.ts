import { WrenError } from "../../shared/errors.js";
import type { ServedModelInfo } from "../model-host.js";

/** A model as Anthropic's Models API describes it (`ModelInfo` of `@anthropic-ai/sdk`). */
export interface AnthropicModelInfo {
  type: "model";
  id: string;
  display_name: string;
  /** RFC 3339. */
  created_at: string;
  capabilities: null;
  deprecated_at: null;
  lifecycle: "active";
  line: null;
  max_input_tokens: number | null;
  max_tokens: number | null;
  retires_at: null;
}

/** A served model (or router name) as an Anthropic `ModelInfo`; `since` stands in for a date the model lacks. */
export function anthropicModel(info: ServedModelInfo, since: string): AnthropicModelInfo {
  return {
    type: "model",
    id: info.id,
    display_name: info.id,
    created_at: info.modifiedAt ?? since,
    capabilities: null,
    deprecated_at: null,
    lifecycle: "active",
    line: null,
    max_input_tokens: info.contextLength ?? null,
    max_tokens: info.contextLength ?? null,
    retires_at: null,
  };
}

/** Query parameters of `GET /v1/models`, as the SDK sends them. */
export interface AnthropicModelListQuery {
  limit?: string | undefined;
  after_id?: string | undefined;
  before_id?: string | undefined;
}

/** One page of the list, with Anthropic's cursor fields: `after_id` / `before_id` name a model of an earlier page. */
export function anthropicModelPage(infos: ServedModelInfo[], query: AnthropicModelListQuery, since: string) {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new WrenError("bad_request", `limit must be a whole number from 1 to 1000, got '${query.limit}'.`, { hint: "Send a limit of 1 to 1000, or none for 20.", details: { param: "limit" } });
  }
  const index = (id: string, param: string): number => {
    const i = infos.findIndex((m) => m.id === id);
    if (i < 0) throw new WrenError("bad_request", `${param} '${id}' is not a model this server lists.`, { hint: `Send the first_id or last_id of a page this server gave, or no ${param}.`, details: { param } });
    return i;
  };
  let start = 0;
  let end = infos.length;
  if (query.after_id !== undefined) start = index(query.after_id, "after_id") + 1;
  if (query.before_id !== undefined) end = index(query.before_id, "before_id");
  // Paging back (before_id alone) takes the page nearest the cursor, as Anthropic's does.
  const backwards = query.before_id !== undefined && query.after_id === undefined;
  const [from, to] = backwards ? [Math.max(start, end - limit), end] : [start, Math.min(end, start + limit)];
  const data = infos.slice(from, Math.max(from, to)).map((m) => anthropicModel(m, since));
  const hasMore = backwards ? from > start : to < end;
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
