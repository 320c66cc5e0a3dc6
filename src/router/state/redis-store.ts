import { ClientClosedError, ClientOfflineError, createClient, ErrorReply } from "redis";
import { WrenError } from "../../shared/errors.js";
import { RedisBreakers, type RedisCaller } from "./redis-breakers.js";
import { RedisLog } from "./redis-log.js";
import { explainRedisReply, type RedisRefusal } from "./redis-reply.js";
import type { BoundedAdd, StateStore } from "./state-store.js";

// Read, check and add in one script: Redis runs a script atomically, so two replicas cannot both
// pass the check on the same old value. Values go back as strings: Redis truncates Lua numbers
// in replies to integers, and budgets are fractions of a dollar.
// A counter that does not hold a finite number (damaged, or another program's) is refused, not
// read as 0 or passed on as NaN: Lua's tonumber also takes 'inf' and 'nan', which compare as no limit.
const counterCheck = `
local function counter(key)
  local value = tonumber(redis.call('GET', key) or '0')
  if value == nil or value ~= value or value == math.huge or value == -math.huge then
    return nil, redis.error_reply('ERR counter ' .. key .. ' does not hold a number')
  end
  return value
end
`;
const addWithinScript = `${counterCheck}
local value, damaged = counter(KEYS[1])
if damaged then return damaged end
if value + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, tostring(value)} end
local after = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, after}
`;

const addScript = `${counterCheck}
local _, damaged = counter(KEYS[1])
if damaged then return damaged end
local after = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return after
`;

/** Options of {@link RedisStateStore.connect}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /**
   * Prefix of every key wren writes: it names the deployment. Every server of one deployment sets
   * the same (that is what makes them share), each deployment on the server its own. Required:
   * a default every deployment shared would mix their budgets, rate limits and breakers unseen.
   */
  keyPrefix?: string;
  /**
   * How long one command may wait for its answer, in ms. Default 500. A command past it fails as
   * if Redis were unreachable, and the connection is made again, so until Redis answers again
   * commands fail at once rather than each waiting this long.
   */
  timeoutMs?: number;
  /**
   * Told once per outage, and again when the server answers again. `answered`: the server is
   * reachable but refuses wren's commands (a password, a full memory, a read-only replica, a key
   * of another type…); `error` then says what it replied and `hint` what to do. Told once per kind
   * of refusal; one the server gives to every command (a password, a full memory) is told again
   * (`up: true`) once a command succeeds.
   */
  onStatus?: (event: RedisStatus) => void;
}

/** What {@link RedisStoreOptions.onStatus} is told. */
export interface RedisStatus {
  up: boolean;
  error?: string;
  hint?: string;
  answered?: boolean;
}

function refused(refusal: RedisRefusal, cause: unknown): WrenError {
  return new WrenError("not_ready", `The shared state store (Redis) refused wren's command, so this replica cannot check its rate limits and budgets. Redis answered: ${refusal.said}`, {
    hint: refusal.hint,
    isRetryable: refusal.retryable,
    ...(refusal.retryable ? { retryAfter: 5 } : {}),
    cause,
  });
}

function noKeyPrefix(): WrenError {
  return new WrenError("config_invalid", "state.keyPrefix is not set: with state.redis, wren needs a key prefix that names this deployment, so that two deployments sharing one Redis server do not count each other's budgets, rate limits and circuit breakers.", {
    hint: 'Set the same state.keyPrefix on every server of this deployment (e.g. keyPrefix = "wren-prod:" in [state], or WREN_STATE_KEY_PREFIX), another on each other deployment. Servers that shared state before this was required used keyPrefix = "wren:": set that to keep their budgets\' spend and breakers.',
  });
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
  /** The refusals `onStatus` was told of, by code, until a command succeeds (a server-wide one) or for good (a key's). */
  private readonly refusals = new Map<string, RedisRefusal>();
  /** The client's last error: a handshake the server refused (a wrong password) leaves the client offline, and says why. */
  private lastError: unknown;
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
      command: (args) => this.call(() => this.client.sendCommand(args), args[0] !== "XREVRANGE"),
    };
    this.breakers = new RedisBreakers(caller, prefix);
    this.log = new RedisLog(caller, prefix);
    client.on("error", (error: unknown) => {
      this.lastError = error;
      if (error instanceof ErrorReply) this.refused(error);
      else this.down(error instanceof Error ? error.message : String(error));
    });
    // A connection is ready once the server answered its handshake; a PING through the same
    // deadline as every command makes "connected" mean "answering", whatever the handshake was.
    client.on("ready", () => {
      void this.call(() => this.client.ping(), false).then(
        () => this.markUp(),
        () => undefined,
      );
    });
  }

  static async connect(options: RedisStoreOptions): Promise<RedisStateStore> {
    if (!options.keyPrefix) throw noKeyPrefix();
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
    const store = new RedisStateStore(client, options.url, options.keyPrefix, timeoutMs, (event) => {
      // A refusal is an answer too: the server is there, and waiting longer would not change what it said.
      if (event.up || event.answered) answered();
      options.onStatus?.(event);
    });
    // The first answer is waited for only briefly: a replica starts (and fails closed) without Redis.
    client.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([firstAnswer, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
    if (!store.up && store.refusals.size === 0) {
      const why = store.lastError instanceof Error ? `: ${store.lastError.message}` : "";
      options.onStatus?.({ up: false, error: `not reachable at start${why}` });
    }
    return store;
  }

  private markUp(): void {
    if (this.up || this.closed) return;
    this.up = true;
    this.onStatus?.({ up: true });
  }

  /**
   * A command was answered: the server is up (also when its handshake's PING was refused, as
   * without a password, and it takes commands since). A write that succeeds also ends refusals of
   * every command; a read does not, as a full memory or a read-only replica still answer reads,
   * and a refusal told again after each read would fill the log.
   */
  private answered(wrote: boolean): void {
    this.lastError = undefined;
    let ended = false;
    for (const [kind, refusal] of this.refusals) {
      if (refusal.scope === "key" || !wrote) continue;
      this.refusals.delete(kind);
      ended = true;
    }
    if (!this.up) this.markUp();
    else if (ended && !this.closed) this.onStatus?.({ up: true });
  }

  /** The server answered with an error: told once per kind, as what it said and what to do. */
  private refused(reply: ErrorReply): RedisRefusal {
    const refusal = explainRedisReply(reply.message, this.prefix);
    const kind = `${refusal.scope}:${refusal.code}`;
    if (!this.refusals.has(kind) && !this.closed) {
      this.refusals.set(kind, refusal);
      this.onStatus?.({ up: false, answered: true, error: `Redis answered: ${refusal.said}`, hint: refusal.hint });
    }
    return refusal;
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
  private async call<T>(run: () => Promise<T>, writes = true): Promise<T> {
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
      const reply = await answer;
      this.answered(writes);
      return reply;
    } catch (error) {
      if (error instanceof ErrorReply) throw refused(this.refused(error), error);
      // No connection because the server refused its handshake (a wrong password): that, not the network.
      const offline = error instanceof ClientOfflineError || error instanceof ClientClosedError;
      if (offline && this.lastError instanceof ErrorReply) throw refused(this.refused(this.lastError), error);
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
    return { ok: ok === 1, value: this.counterValue(key, value) };
  }

  async add(key: string, amount: number, ttlMs: number): Promise<number> {
    const reply = await this.call(() => this.client.eval(addScript, { keys: [this.prefix + key], arguments: [String(amount), String(Math.ceil(ttlMs))] }));
    return this.counterValue(key, reply);
  }

  async get(key: string): Promise<number> {
    const reply = await this.call(() => this.client.get(this.prefix + key), false);
    return reply === null ? 0 : this.counterValue(key, reply);
  }

  /** A counter's value as Redis gave it, which must be a finite number: a damaged one is refused, never used as NaN. */
  private counterValue(key: string, reply: unknown): number {
    const value = typeof reply === "string" || typeof reply === "number" ? Number(reply) : Number.NaN;
    if (Number.isFinite(value)) return value;
    const said = `ERR counter ${this.prefix}${key} does not hold a number`;
    throw refused(this.refused(new ErrorReply(said)), undefined);
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
