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
  /**
   * How long one command may wait for its answer, in ms. Default 500. A command past it fails as
   * if Redis were unreachable, and the connection is made again, so until Redis answers again
   * commands fail at once rather than each waiting this long.
   */
  timeoutMs?: number;
  /** Told once per outage, and again when the server answers again. */
  onStatus?: (event: { up: boolean; error?: string }) => void;
}

function unavailable(url: string, cause: unknown): WrenError {
  return new WrenError("not_ready", "The shared state store (Redis) is unreachable, so this replica cannot check its rate limits and budgets.", {
    hint: `Check that the Redis server at state.redis (${new URL(url).host}) is running and answering; wren reconnects by itself.`,
    isRetryable: true,
    retryAfter: 5,
    cause,
  });
}

/**
 * Counters, circuit breakers and the decision log in a Redis server, shared by every wren replica
 * that points at it. While the server is unreachable, or stops answering, commands fail (at once
 * with no connection: no offline queue; within `timeoutMs` on a connection that has gone quiet):
 * limits fail closed rather than letting each replica spend on its own, breakers and the log fall
 * back to the replica's own, and the client keeps reconnecting in the background.
 */
export class RedisStateStore implements StateStore {
  readonly kind = "redis";
  readonly breakers: RedisBreakers;
  readonly log: RedisLog;
  /** What `onStatus` was last told: whether the server has answered since it last failed to. */
  private up = false;
  private closed = false;
  /** Commands waiting for their answer (each for at most `timeoutMs`), for `close` to let finish. */
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    private readonly client: ReturnType<typeof createClient>,
    private readonly url: string,
    private readonly prefix: string,
    private readonly timeoutMs: number,
    private readonly onStatus: RedisStoreOptions["onStatus"],
  ) {
    const caller: RedisCaller = {
      script: (source, keys, args) => this.call(() => this.client.eval(source, { keys, arguments: args })),
      command: (args) => this.call(() => this.client.sendCommand(args)),
    };
    this.breakers = new RedisBreakers(caller, prefix);
    this.log = new RedisLog(caller, prefix);
    client.on("error", (error: unknown) => this.down(error instanceof Error ? error.message : String(error)));
    // A connection is ready once the server answered its handshake; a PING through the same
    // deadline as every command makes "connected" mean "answering", whatever the handshake was.
    client.on("ready", () => {
      void this.call(() => this.client.ping()).then(
        () => this.markUp(),
        () => undefined,
      );
    });
  }

  static async connect(options: RedisStoreOptions): Promise<RedisStateStore> {
    const timeoutMs = options.timeoutMs ?? 500;
    // A connection silent this long is dropped and made again, and a PING at half of it keeps a
    // healthy idle one from going silent: so a server that hangs is noticed without any request,
    // and a reconnection whose handshake hangs (a half-open network) is tried again rather than
    // waited on until TCP gives up, minutes later.
    const silentMs = Math.max(5_000, 2 * timeoutMs);
    const client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      pingInterval: silentMs / 2,
      socket: { reconnectStrategy: (retries) => Math.min(200 * 2 ** retries, 5_000), connectTimeout: 5_000, socketTimeout: silentMs },
    });
    let answered: () => void = () => undefined;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    const store = new RedisStateStore(client, options.url, options.keyPrefix ?? "wren:", timeoutMs, (event) => {
      if (event.up) answered();
      options.onStatus?.(event);
    });
    // The first answer is waited for only briefly: a replica starts (and fails closed) without Redis.
    client.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([firstAnswer, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
    if (!store.up) options.onStatus?.({ up: false, error: "not reachable at start" });
    return store;
  }

  private markUp(): void {
    if (this.up || this.closed) return;
    this.up = true;
    this.onStatus?.({ up: true });
  }

  private down(reason: string): void {
    // Closing rejects what is still queued (the client's own PING, say): that is no outage.
    if (!this.up || this.closed) return;
    this.up = false;
    this.onStatus?.({ up: false, error: reason });
  }

  /**
   * One command, failing as unreachable after `timeoutMs`. The client's own command `timeout`
   * cannot do this: it stops counting once the command is written to the socket, and a hung
   * server is one that was written to and never answers.
   */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    let answered = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      // Checked once more after the I/O already waiting is read (setImmediate runs after it): when
      // this process's own event loop was held up past the deadline, an answer that came in
      // meanwhile counts, and Redis is not blamed for the replica's delay.
      timer = setTimeout(
        () =>
          setImmediate(() => {
            if (answered) return;
            const error = new Error(`Redis did not answer within ${this.timeoutMs} ms`);
            reject(error);
            this.stalled(error.message);
          }),
        this.timeoutMs,
      );
    });
    const answer = Promise.race([run(), deadline]);
    this.inFlight.add(answer);
    try {
      return await answer;
    } catch (error) {
      throw unavailable(this.url, error);
    } finally {
      answered = true;
      clearTimeout(timer);
      this.inFlight.delete(answer);
    }
  }

  /**
   * A command went unanswered: the connection is dropped and made again. Commands waiting on it
   * fail now rather than each at its own deadline, none pile up on a server that stopped reading,
   * and new ones fail at once (no offline queue) until the server answers the new connection.
   */
  private stalled(reason: string): void {
    this.down(reason);
    if (this.closed || !this.client.isReady) return;
    this.client.destroy();
    this.client.connect().catch(() => undefined);
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
    if (this.closed) return;
    this.closed = true;
    // Commands in flight may finish (each within the timeout), so the last decisions reach the
    // log; then the connection is dropped, as a QUIT to a server that stopped answering would
    // wait for good.
    await Promise.allSettled([...this.inFlight]);
    if (this.client.isOpen) this.client.destroy();
  }
}
