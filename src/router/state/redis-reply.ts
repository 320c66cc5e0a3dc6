/** What an error reply from Redis means for wren, and what to do about it. */
export interface RedisRefusal {
  /** The reply's first word (`WRONGTYPE`, `NOAUTH`, `OOM`…), which names the kind of error. */
  code: string;
  /** What Redis said, without the script's name and line that an error inside a script carries. */
  said: string;
  /** What to do about it. */
  hint: string;
  /** Whether the same command may succeed later without anyone changing anything (a failover, a load). */
  retryable: boolean;
  /** `key`: about one key (its type, a damaged value), other commands still work; `server`: every command gets it. */
  scope: "key" | "server";
}

/**
 * Turns an error reply into what to tell the user. The server answered, so it is reachable: the
 * network is not the thing to debug, and saying "unreachable" would send the user there.
 */
export function explainRedisReply(message: string, prefix: string): RedisRefusal {
  const said = message.replace(/\s*script: \w+, on @user_script:\d+\.?$/, "").trim();
  const code = /^[A-Z]+/.exec(said)?.[0] ?? "ERR";
  const other = `A key under the prefix '${prefix}' holds a value wren did not write: another program, or another wren deployment, uses the same prefix on this Redis server. Give this deployment a state.keyPrefix of its own (every server of one deployment sets the same), or delete the damaged keys under '${prefix}'.`;
  const rule = (hint: string, retryable = false): RedisRefusal => ({ code, said, hint, retryable, scope: "server" });
  if (code === "WRONGTYPE" || /does not hold a number|not a valid float|arithmetic on a nil|not an integer|overflow|NaN or Infinity/i.test(said)) return { ...rule(other), scope: "key" };
  if (code === "NOAUTH") return rule("The Redis server requires a password: put it in state.redis (redis://:password@host:6379, or redis://user:password@host:6379 for an ACL user).");
  if (code === "WRONGPASS" || /invalid username-password/i.test(said)) return rule("Redis refused the user name and password in state.redis: check them against the server's requirepass or its ACL user.");
  if (code === "NOPERM") return rule(`The Redis user in state.redis may not run this command or use these keys: allow it EVAL, GET, DEL, PING, XADD, XREVRANGE and the commands of @string, @sortedset and @keyspace, on the keys '${prefix}*'.`);
  if (code === "OOM") return rule("Redis is at its maxmemory and refuses writes: raise maxmemory or free memory on that server. (A policy that evicts wren's keys would reset budgets' spend.)", true);
  if (code === "READONLY") return rule("state.redis points at a read-only replica: point it at the primary (with a failover, at the address that follows the primary).", true);
  if (code === "LOADING") return rule("Redis is loading its data set after a restart; it answers once loaded.", true);
  if (code === "MASTERDOWN") return rule("The Redis replica in state.redis lost its primary: point state.redis at the primary.", true);
  if (code === "BUSY") return rule("Redis is busy running a long script (another program's); it answers once the script ends or is killed (SCRIPT KILL).", true);
  if (code === "MOVED" || code === "ASK" || code === "CROSSSLOT" || code === "CLUSTERDOWN") return rule("state.redis points at a Redis Cluster node; wren talks to one Redis server: point it at a standalone server.");
  if (/unknown command|not allowed|disabled/i.test(said)) return rule("This Redis server does not offer a command wren needs (renamed or disabled in its config, or an older or compatible server): wren needs EVAL (Lua scripts), GET, DEL, PING, XADD and XREVRANGE.");
  return rule("Redis refused wren's command; its own log may say more.");
}
