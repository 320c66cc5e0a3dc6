import type { Logger } from "pino";
import { foldParts, type GenerateResult, type StreamPart } from "../../protocol/index.js";
import type { OpenAIChatCompletion, OpenAIChatRequest, OpenAIMessage, OpenAIStoredListQuery } from "../../wire/openai/index.js";
import type { ProvenanceField } from "../provenance.js";
import { BoundedStore } from "../responses-store.js";
import { openaiChatCompletion, type ResponseIds } from "./openai-response.js";

/** A chat completion as `GET /v1/chat/completions/{id}` returns it: the answer, with the request's metadata. */
export type StoredChatCompletionObject = OpenAIChatCompletion & ProvenanceField & { metadata: Record<string, string> };

/** One message of `GET /v1/chat/completions/{id}/messages`: as sent, with an id, and its parts when it had some. */
export type StoredChatMessage = Record<string, unknown> & { id: string; role: string };

/** A completion created with `store: true`, kept in the server's bounded store. */
export interface StoredChatCompletion {
  completion: StoredChatCompletionObject;
  messages: StoredChatMessage[];
  /** Order of creation, for listing oldest first (the store's own order is by use). */
  seq: number;
}

function partsText(parts: Array<{ type: string; text?: string }>): string {
  return parts.map((p) => p.text ?? "").join("");
}

/** The request's messages as OpenAI returns stored ones: ids `COMPLETION-N`, text in `content`, `content_parts` when parts were sent. */
export function storedChatMessages(completionId: string, messages: OpenAIMessage[]): StoredChatMessage[] {
  return messages.map((m, i) => {
    const { content, ...rest } = m;
    const parts = Array.isArray(content) ? content.filter((p) => p.type === "text" || p.type === "image_url") : null;
    return {
      id: `${completionId}-${i}`,
      ...rest,
      content: Array.isArray(content) ? partsText(content) : (content ?? null),
      content_parts: parts,
    };
  });
}

/** What `store: true` keeps of a request and its answer. */
export function storedChatCompletion(body: OpenAIChatRequest, completion: OpenAIChatCompletion & ProvenanceField, seq: number): StoredChatCompletion {
  return { completion: { ...completion, metadata: body.metadata ?? {} }, messages: storedChatMessages(completion.id, body.messages), seq };
}

/** `metadata[KEY]=VALUE` filters of a list query. */
export function metadataFilter(search: URLSearchParams): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const [key, value] of search) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match?.[1] !== undefined) filter[match[1]] = value;
  }
  return filter;
}

/** One page of a list, OpenAI's cursor paging: `order` (default oldest first), `after` an id, `limit` (default 20). */
export function listPage<T extends { id: string }>(items: T[], query: OpenAIStoredListQuery): { object: "list"; data: T[]; first_id: string | null; last_id: string | null; has_more: boolean } {
  let ordered = query.order === "desc" ? [...items].reverse() : items;
  // An `after` no longer kept ends the listing: starting over would hand a paging client the same items again.
  if (query.after !== undefined) {
    const at = ordered.findIndex((i) => i.id === query.after);
    ordered = at < 0 ? [] : ordered.slice(at + 1);
  }
  const data = ordered.slice(0, query.limit ?? 20);
  return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: ordered.length > data.length };
}

/**
 * The chat completions created with `store: true`, whichever transport asked (HTTP, streamed or
 * not, or the WebSocket): one store, so retrieve, list, messages, update and delete find them all.
 */
export class StoredChatCompletions {
  readonly #store = new BoundedStore<StoredChatCompletion>();
  #seq = 0;

  constructor(private readonly logger: Logger) {}

  /** Keeps an answer when its request asked for it (`store: true`). */
  keep(body: OpenAIChatRequest, result: GenerateResult, ids: ResponseIds): void {
    if (body.store !== true) return;
    if (!this.#store.set(ids.id, storedChatCompletion(body, openaiChatCompletion(result, ids), this.#seq++))) {
      this.logger.debug({ id: ids.id }, "chat completion too large to keep; retrieve cannot find it");
    }
  }

  /**
   * For a streamed answer: a function each part sent goes through, which keeps the answer at its
   * finish part, before the client reads the end of the stream. Undefined without `store: true`.
   */
  recorder(body: OpenAIChatRequest, ids: ResponseIds): ((part: StreamPart) => void) | undefined {
    if (body.store !== true) return undefined;
    const sent: StreamPart[] = [];
    return (part) => {
      sent.push(part);
      if (part.type === "finish") this.keep(body, foldParts(sent), ids);
    };
  }

  get(id: string): StoredChatCompletion | undefined {
    return this.#store.get(id);
  }

  /** Kept again after a change (an update of its metadata): its size is counted anew. */
  update(found: StoredChatCompletion): void {
    this.#store.set(found.completion.id, found);
  }

  delete(id: string): boolean {
    return this.#store.delete(id);
  }

  /** All kept, oldest first. */
  all(): StoredChatCompletion[] {
    return [...this.#store.values()].sort((a, b) => a.seq - b.seq);
  }
}
