import { randomUUID } from "node:crypto";
import { probeLeaseMs, type BreakerAdmission, type BreakerLimits, type BreakerStore } from "./state-store.js";

/** Runs one command or script against the server (errors already turned into wren's). */
export interface RedisCaller {
  script(source: string, keys: string[], args: string[]): Promise<unknown>;
  command(args: string[]): Promise<unknown>;
}

// Each breaker is four keys, in one hash slot (the braces) so the scripts also run on a cluster:
// `open` exists (expiring after the cooldown) while the circuit is open; `tripped` exists while it
// is not closed, so tripped without open is half-open; `probe` names the breaker whose request
// probes; `fails` holds the failures of the window by time. Times are the Redis server's own (TIME
// and key expiry), so replicas whose clocks disagree still agree on the breaker.

const admitScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'open' end
if redis.call('EXISTS', KEYS[2]) == 0 then return 'closed' end
if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'probe' end
return 'probing'
`;

// KEYS: fails, open, tripped, probe. ARGV: holder, threshold, windowMs, cooldownMs, member, trippedTtlMs.
const failureScript = `
if redis.replicate_commands then redis.replicate_commands() end
local function reopen()
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[6])
  if redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4]) end
  redis.call('DEL', KEYS[1])
  return 'open'
end
if redis.call('EXISTS', KEYS[3]) == 1 then return reopen() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return reopen() end
return 'closed'
`;

const renewScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;


/**
 * A breaker that is not closed is forgotten a day after it last opened with no request since:
 * keys of targets nobody asks for any more do not stay forever.
 */
const forgetTrippedAfterMs = 24 * 3600 * 1000;

/** {@link BreakerStore} over Redis: each step one Lua script, so replicas never race on a breaker. */
export class RedisBreakers implements BreakerStore {
  constructor(
    private readonly redis: RedisCaller,
    private readonly prefix: string,
  ) {}

  private keys(key: string) {
    const base = `${this.prefix}breaker:{${key}}`;
    return { fails: `${base}:fails`, open: `${base}:open`, tripped: `${base}:tripped`, probe: `${base}:probe` };
  }

  async admit(key: string, holder: string, limits: BreakerLimits): Promise<BreakerAdmission> {
    const k = this.keys(key);
    return (await this.redis.script(admitScript, [k.open, k.tripped, k.probe], [holder, String(probeLeaseMs(limits))])) as BreakerAdmission;
  }

  async renew(key: string, holder: string, limits: BreakerLimits): Promise<boolean> {
    return (await this.redis.script(renewScript, [this.keys(key).probe], [holder, String(probeLeaseMs(limits))])) === 1;
  }

  async failure(key: string, holder: string, limits: BreakerLimits): Promise<"closed" | "open"> {
    const k = this.keys(key);
    const args = [holder, String(limits.threshold), String(Math.ceil(limits.windowMs)), String(Math.ceil(limits.cooldownMs)), randomUUID(), String(Math.ceil(limits.cooldownMs) + forgetTrippedAfterMs)];
    return (await this.redis.script(failureScript, [k.fails, k.open, k.tripped, k.probe], args)) as "closed" | "open";
  }

  async success(key: string): Promise<void> {
    const k = this.keys(key);
    await this.redis.command(["DEL", k.fails, k.open, k.tripped, k.probe]);
  }

  async release(key: string, holder: string): Promise<void> {
    await this.redis.script(releaseScript, [this.keys(key).probe], [holder]);
  }
}
