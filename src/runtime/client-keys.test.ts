import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { isWrenError } from "../shared/errors.js";
import { checkKeyLimits, resolveClientKeys } from "./client-keys.js";

function problem(run: () => void): string {
  try {
    run();
  } catch (error) {
    return isWrenError(error) ? `${error.code}: ${error.message} ${error.hint ?? ""}` : String(error);
  }
  return "accepted";
}

describe("client keys at start-up", () => {
  it("reads each keyEnv now, and names the variable of a key that is not set", () => {
    const keys = [
      { name: "alice", key: "alice-key-0123456789" },
      { name: "bob", keyEnv: "BOB_KEY" },
    ];
    expect(resolveClientKeys(keys, { BOB_KEY: "bob-key-0123456789ab" })).toEqual([
      { name: "alice", key: "alice-key-0123456789" },
      { name: "bob", key: "bob-key-0123456789ab" },
    ]);
    expect(problem(() => resolveClientKeys(keys, {}))).toContain("config_invalid: The client key 'bob' is read from BOB_KEY, which is not set.");
  });

  it("refuses a per-key budget or rate limit that names no configured key, listing the keys there are", () => {
    const router = defaultConfig({ env: {} }).router;
    const keys = [{ name: "alice", key: "alice-key-0123456789" }];
    expect(problem(() => checkKeyLimits({ ...router, budgets: [{ usd: 1, period: "day", key: "alice" }] }, keys))).toBe("accepted");
    expect(problem(() => checkKeyLimits({ ...router, budgets: [{ usd: 1, period: "day" }, { usd: 1, period: "day", key: "alcie" }] }, keys))).toBe(
      "config_invalid: router.budgets[1].key names the client key 'alcie', which server.keys does not have. Use one of: alice; or add a [[server.keys]] table named 'alcie'.",
    );
    expect(problem(() => checkKeyLimits({ ...router, rateLimit: { requests: 1, windowMs: 1000, keys: { ci: 5 } } }, []))).toContain(
      "router.rateLimit.keys.ci names the client key 'ci', which server.keys does not have. Add a [[server.keys]] table named 'ci'",
    );
  });
});
