import type { WrenConfig } from "../config/index.js";
import type { ClientKey } from "../server/auth.js";
import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";

/** `server.keys` with each `keyEnv` read now: a key whose variable is unset stops the server from starting. */
export function resolveClientKeys(keys: WrenConfig["server"]["keys"], env: Env): ClientKey[] {
  return keys.map((entry) => {
    const key = entry.key ?? (entry.keyEnv ? env[entry.keyEnv] : undefined);
    if (!key) {
      throw new WrenError("config_invalid", `The client key '${entry.name}' is read from ${entry.keyEnv ?? "its keyEnv"}, which is not set.`, {
        hint: `Set ${entry.keyEnv ?? "the variable"} in wren serve's environment, or remove '${entry.name}' from server.keys.`,
      });
    }
    return { name: entry.name, key };
  });
}

/**
 * Per-key budgets and rate limits must name a configured key: one that names none would never
 * apply, and a typo would leave a client without the limit its operator meant it to have.
 */
export function checkKeyLimits(router: WrenConfig["router"], keys: ClientKey[]): void {
  const names = new Set(keys.map((k) => k.name));
  const named = [
    // `*` names no key: every key gets a budget of its own.
    ...router.budgets.flatMap((b, i) => (b.key === undefined || b.key === "*" ? [] : [{ name: b.key, where: `router.budgets[${i}].key` }])),
    ...Object.keys(router.rateLimit?.keys ?? {}).map((name) => ({ name, where: `router.rateLimit.keys.${name}` })),
  ];
  for (const { name, where } of named) {
    if (names.has(name)) continue;
    const known = [...names];
    throw new WrenError("config_invalid", `${where} names the client key '${name}', which server.keys does not have.`, {
      hint: known.length > 0 ? `Use one of: ${known.join(", ")}; or add a [[server.keys]] table named '${name}'.` : `Add a [[server.keys]] table named '${name}' with its key (or keyEnv).`,
    });
  }
}
