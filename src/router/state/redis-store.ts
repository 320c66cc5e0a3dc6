import { createClient } from "redis";
import { WrenError } from "../../shared/errors.js";
import { RedisBreakers, type RedisCaller } from "./redis-breakers.js";
import { RedisLog } from "./redis-log.js";
import type { BoundedAdd, StateStore } from "./state-store.js";

// Read, check and add in one script: Redis runs a script atomically, so two replicas cannot both
// pass the check on the same old value. Values go back as strings: Redis truncates Lua numbers
// in replies to integers, and budgets are fractions of a dollar.
const addWithinScript = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
if value + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, tostring(value)} end
local after = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, after}
`;

const addScript = `
local after = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return after
`;

/** Options of {@link RedisStateStore.connect}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Prefix of every key wren writes, so several deployments can share one server. Default `wren:`. */
  keyPrefix?: string;
  /** Told once per outage, and again when the server is back. */
  onStatus?: (event: { up: boolean; error?: string }) => void;
}

function unavailable(url: string, cause: unknown): WrenError {
  return new WrenError("not_ready", "The shared state store (Redis) is unreachable, so this replica cannot check its rate limits and budgets.", {
    hint: `Check that the Redis server at state.redis (${new URL(url).host}) is running; wren reconnects by itself.`,
    isRetryable: true,
    retryAfter: 5,
    cause,
  });
}

/**
 * Counters, circuit breakers and the decision log in a Redis server, shared by every wren replica
 * that points at it. While the server is unreachable, commands fail at once (no offline queue):
 * limits fail closed rather than letting each replica spend on its own, breakers and the log fall
 * back to the replica's own, and the client keeps reconnecting in the background.
 */
export class RedisStateStore implements StateStore {
  readonly kind = "redis";
  readonly breakers: RedisBreakers;
  readonly log: RedisLog;

  private constructor(
    private readonly client: ReturnType<typeof createClient>,
    private readonly url: string,
    private readonly prefix: string,
  ) {
    const caller: RedisCaller = {
      script: (source, keys, args) => this.call(() => this.client.eval(source, { keys, arguments: args })),
      command: (args) => this.call(() => this.client.sendCommand(args)),
    };
    this.breakers = new RedisBreakers(caller, prefix);
    this.log = new RedisLog(caller, prefix);
  }

  static async connect(options: RedisStoreOptions): Promise<RedisStateStore> {
    let up = false;
    const client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries) => Math.min(200 * 2 ** retries, 5_000), connectTimeout: 5_000 },
    });
    client.on("error", (error: unknown) => {
      if (!up) return;
      up = false;
      options.onStatus?.({ up: false, error: error instanceof Error ? error.message : String(error) });
    });
    client.on("ready", () => {
      if (up) return;
      up = true;
      options.onStatus?.({ up: true });
    });
    // The first connection is waited for only briefly: a replica starts (and fails closed) without Redis.
    const connecting = client.connect().catch(() => undefined);
    const timer = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
    await Promise.race([connecting, timer]);
    if (!up) options.onStatus?.({ up: false, error: "not reachable at start" });
    return new RedisStateStore(client, options.url, options.keyPrefix ?? "wren:");
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw unavailable(this.url, error);
    }
  }

  async addWithin(key: string, amount: number, limit: number, ttlMs: number): Promise<BoundedAdd> {
    const reply = await this.call(() =>
      this.client.eval(addWithinScript, { keys: [this.prefix + key], arguments: [String(amount), String(limit), String(Math.ceil(ttlMs))] }),
    );
    const [ok, value] = reply as [number, string];
    return { ok: ok === 1, value: Number(value) };
  }

  async add(key: string, amount: number, ttlMs: number): Promise<number> {
    const reply = await this.call(() => this.client.eval(addScript, { keys: [this.prefix + key], arguments: [String(amount), String(Math.ceil(ttlMs))] }));
    return Number(reply);
  }

  async get(key: string): Promise<number> {
    const reply = await this.call(() => this.client.get(this.prefix + key));
    return reply === null ? 0 : Number(reply);
  }

  async close(): Promise<void> {
    // Only a connected client can say goodbye: one still reconnecting to a server that is gone
    // would wait for it, so it is dropped instead.
    if (this.client.isReady) await this.client.quit().catch(() => this.client.destroy());
    else if (this.client.isOpen) this.client.destroy();
  }
}
