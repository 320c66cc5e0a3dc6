import { createHash } from "node:crypto";
import { messageText, type ChatRequest } from "../../protocol/index.js";

/**
 * The key of a conversation: the client's own id when it sends one (OpenAI's `user`), else a hash
 * of its system prompt and first user message, which stay the same on every later turn, so the
 * turns share a replica and its prompt cache. Undefined for a request with none of them.
 */
export function conversationKey(request: ChatRequest): string | undefined {
  if (request.user) return `user:${request.user}`;
  const system = request.messages.filter((m) => m.role === "system").map(messageText).join("\n");
  const user = request.messages.find((m) => m.role === "user");
  const firstUser = user ? messageText(user) : "";
  if (!system && !firstUser) return undefined;
  return createHash("sha256").update(system).update("\0").update(firstUser).digest("base64url");
}

/** Conversation → replica URL, bounded: the least recently used entry goes first. */
export class AffinityTable {
  private readonly entries = new Map<string, string>();

  constructor(private readonly limit: number) {}

  get(key: string): string | undefined {
    const url = this.entries.get(key);
    if (url !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, url);
    }
    return url;
  }

  set(key: string, url: string): void {
    this.entries.delete(key);
    this.entries.set(key, url);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}
