import type { RedisCaller } from "./redis-breakers.js";
import type { SharedLog } from "./state-store.js";

/**
 * {@link SharedLog} over a Redis stream: `XADD … MAXLEN ~ N` appends and trims in one step (the
 * `~` lets Redis trim whole blocks, so a little more than N may stay), `XREVRANGE` reads newest first.
 */
export class RedisLog implements SharedLog {
  constructor(
    private readonly redis: RedisCaller,
    private readonly prefix: string,
  ) {}

  async append(key: string, entry: string, maxLength: number): Promise<void> {
    await this.redis.command(["XADD", this.prefix + key, "MAXLEN", "~", String(maxLength), "*", "entry", entry]);
  }

  async read(key: string, limit: number): Promise<string[]> {
    const reply = await this.redis.command(["XREVRANGE", this.prefix + key, "+", "-", "COUNT", String(limit)]);
    const out: string[] = [];
    // Each item is [id, [field, value, ...]]; anything else (a foreign writer) is skipped.
    for (const item of Array.isArray(reply) ? (reply as unknown[]) : []) {
      const fields = Array.isArray(item) ? (item as unknown[])[1] : undefined;
      if (!Array.isArray(fields)) continue;
      const at = (fields as unknown[]).indexOf("entry");
      const value = at >= 0 ? (fields as unknown[])[at + 1] : undefined;
      if (typeof value === "string") out.push(value);
    }
    return out;
  }
}
