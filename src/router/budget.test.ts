import { describe, expect, it } from "vitest";
import { isWrenError } from "../shared/errors.js";
import { Budgets, type Reservation } from "./budget.js";
import { periodWindow } from "./budget-period.js";
import { MemoryStateStore } from "./state/memory-store.js";

function fakeClock(iso: string) {
  let now = Date.parse(iso);
  return { now: () => now, set: (next: string) => (now = Date.parse(next)) };
}

describe("budget periods (UTC)", () => {
  it("a day runs to the next 00:00 UTC, a month to the 1st, across year ends and leap days", () => {
    expect(periodWindow("day", Date.parse("2026-11-30T23:59:59.999Z"))).toEqual({ id: "2026-11-30", resetsAt: Date.parse("2026-12-01T00:00:00Z") });
    expect(periodWindow("month", Date.parse("2026-12-31T12:00:00Z"))).toEqual({ id: "2026-12", resetsAt: Date.parse("2027-01-01T00:00:00Z") });
    expect(periodWindow("day", Date.parse("2028-02-28T10:00:00Z")).resetsAt).toBe(Date.parse("2028-02-29T00:00:00Z"));
    expect(periodWindow("month", Date.parse("2028-02-29T10:00:00Z")).resetsAt).toBe(Date.parse("2028-03-01T00:00:00Z"));
  });
});

describe("Budgets over the in-process store", () => {
  it("refuses the reservation that would pass the limit, saying which budget, its limit and its reset", async () => {
    const clock = fakeClock("2026-11-30T10:00:00Z");
    const budgets = new Budgets([{ usd: 1, period: "day", provider: "openai" }], new MemoryStateStore(clock), clock);
    const first = await budgets.reserve({ provider: "openai" }, 0.6);
    expect(isWrenError(first)).toBe(false);
    const second = await budgets.reserve({ provider: "openai" }, 0.6);
    expect(isWrenError(second)).toBe(true);
    if (!isWrenError(second)) return;
    expect(second.code).toBe("rate_limited");
    expect(second.message).toContain("openai's daily budget");
    expect(second.message).toContain("$1");
    expect(second.message).toContain("2026-12-01T00:00:00.000Z");
    expect(second.retryAfter).toBe(14 * 3600);
    // Another provider is not under that limit.
    expect(isWrenError(await budgets.reserve({ provider: "anthropic" }, 5))).toBe(false);
  });

  it("settles a reservation to the actual cost, so what was held but not spent is free again", async () => {
    const clock = fakeClock("2026-11-30T10:00:00Z");
    const budgets = new Budgets([{ usd: 1, period: "day" }], new MemoryStateStore(clock), clock);
    const held = (await budgets.reserve({ provider: "openai" }, 0.9)) as Reservation;
    await held.settle(0.25);
    expect((await budgets.status())[0]).toMatchObject({ spentUsd: 0.25, remainingUsd: 0.75, limitUsd: 1 });
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 0.75))).toBe(false);
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 0.01))).toBe(true);
  });

  it("a new day starts a daily budget from nothing, while the month's keeps counting until the 1st", async () => {
    const clock = fakeClock("2026-11-30T23:59:00Z");
    const budgets = new Budgets(
      [
        { usd: 1, period: "day" },
        { usd: 1.5, period: "month" },
      ],
      new MemoryStateStore(clock),
      clock,
    );
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 1))).toBe(false);
    const refused = await budgets.reserve({ provider: "openai" }, 0.4);
    expect(isWrenError(refused) && refused.message).toContain("daily");
    clock.set("2026-11-30T23:59:59.999Z");
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 0.4))).toBe(true);
    clock.set("2026-12-01T00:00:00Z");
    // December: both limits start again.
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 1))).toBe(false);
    expect((await budgets.status()).map((s) => s.spentUsd)).toEqual([1, 1]);
  });

  it("a refused reservation gives back what it held on the limits checked before the one that refused", async () => {
    const clock = fakeClock("2026-11-10T00:00:00Z");
    const budgets = new Budgets(
      [
        { usd: 10, period: "month" },
        { usd: 1, period: "day", provider: "openai" },
      ],
      new MemoryStateStore(clock),
      clock,
    );
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 2))).toBe(true);
    expect((await budgets.status()).map((s) => s.spentUsd)).toEqual([0, 0]);
  });
});

describe("budgets per client key", () => {
  it("a key's budget counts only that client's spend; a refusal names the key, its limit and its reset; other clients go on", async () => {
    const clock = fakeClock("2026-11-30T10:00:00Z");
    const budgets = new Budgets(
      [
        { usd: 1, period: "day", key: "alice" },
        { usd: 10, period: "month" },
      ],
      new MemoryStateStore(clock),
      clock,
    );
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "alice" }, 0.75))).toBe(false);
    const refused = await budgets.reserve({ provider: "anthropic", keyId: "alice" }, 0.5);
    expect(isWrenError(refused)).toBe(true);
    if (!isWrenError(refused)) return;
    expect(refused.code).toBe("rate_limited");
    expect(refused.message).toContain("the daily budget of client key 'alice' (day:*@alice) of $1 ($0.7500 spent)");
    expect(refused.message).toContain("resets at 2026-12-01T00:00:00.000Z");
    expect(refused.retryAfter).toBe(14 * 3600);
    // Bob, a client without a key, and a call with no client at all are not under alice's budget.
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "bob" }, 0.5))).toBe(false);
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "anonymous" }, 0.5))).toBe(false);
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 0.5))).toBe(false);
    // The month's budget counts everyone, alice's refused request not included.
    expect(await budgets.status()).toEqual([
      { name: "day:*@alice", period: "day", key: "alice", limitUsd: 1, spentUsd: 0.75, remainingUsd: 0.25, resetsAt: "2026-12-01T00:00:00.000Z" },
      { name: "month:*", period: "month", limitUsd: 10, spentUsd: 2.25, remainingUsd: 7.75, resetsAt: "2026-12-01T00:00:00.000Z" },
    ]);
  });

  it("a key's budget on one provider leaves that client's spend elsewhere alone, and two keys' budgets are counted apart", async () => {
    const clock = fakeClock("2026-11-30T10:00:00Z");
    const budgets = new Budgets(
      [
        { usd: 1, period: "month", provider: "openai", key: "alice" },
        { usd: 1, period: "month", provider: "openai", key: "bob" },
      ],
      new MemoryStateStore(clock),
      clock,
    );
    const held = (await budgets.reserve({ provider: "openai", keyId: "alice" }, 1)) as Reservation;
    expect(isWrenError(held)).toBe(false);
    const refused = await budgets.reserve({ provider: "openai", keyId: "alice" }, 0.01);
    expect(isWrenError(refused) && refused.message).toContain("the monthly budget of client key 'alice' on openai (month:openai@alice) of $1");
    expect(isWrenError(await budgets.reserve({ provider: "anthropic", keyId: "alice" }, 5))).toBe(false);
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "bob" }, 1))).toBe(false);
    // Settling alice's hold to what her answer cost frees the rest of it for her.
    await held.settle(0.4);
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "alice" }, 0.6))).toBe(false);
    expect((await budgets.status()).map((s) => [s.name, s.spentUsd])).toEqual([
      ["month:openai@alice", 1],
      ["month:openai@bob", 1],
    ]);
  });
});

describe('a budget of each key\'s own (key = "*")', () => {
  it("gives every client key its own allowance, counted apart; requests without a key are not counted against it", async () => {
    const clock = fakeClock("2026-11-30T10:00:00Z");
    const budgets = new Budgets([{ usd: 1, period: "day", key: "*" }], new MemoryStateStore(clock), clock);
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "alice" }, 0.75))).toBe(false);
    const refused = await budgets.reserve({ provider: "openai", keyId: "alice" }, 0.5);
    expect(isWrenError(refused)).toBe(true);
    if (!isWrenError(refused)) return;
    expect(refused.code).toBe("rate_limited");
    expect(refused.message).toContain("the daily budget of client key 'alice' (day:*@*, each key's own) of $1 ($0.7500 spent)");
    expect(refused.retryAfter).toBe(14 * 3600);
    // Bob's allowance is his own, whole: alice's spend is not in it.
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "bob" }, 0.75))).toBe(false);
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "bob" }, 0.5))).toBe(true);
    // No key (wren's own commands) and a client that sent none (anonymous) are nobody's own spend.
    expect(isWrenError(await budgets.reserve({ provider: "openai" }, 5))).toBe(false);
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "anonymous" }, 5))).toBe(false);
    // Listed for each key counted here and each key asked about, in order; anonymous never.
    expect(await budgets.status(["carol", "anonymous"])).toEqual([
      { name: "day:*@*", period: "day", key: "alice", limitUsd: 1, spentUsd: 0.75, remainingUsd: 0.25, resetsAt: "2026-12-01T00:00:00.000Z" },
      { name: "day:*@*", period: "day", key: "bob", limitUsd: 1, spentUsd: 0.75, remainingUsd: 0.25, resetsAt: "2026-12-01T00:00:00.000Z" },
      { name: "day:*@*", period: "day", key: "carol", limitUsd: 1, spentUsd: 0, remainingUsd: 1, resetsAt: "2026-12-01T00:00:00.000Z" },
    ]);
    // The next day every key starts again.
    clock.set("2026-12-01T00:00:00Z");
    expect(isWrenError(await budgets.reserve({ provider: "openai", keyId: "alice" }, 1))).toBe(false);
  });

  it("a key with a budget of its own for the same period and provider has that one instead; on another provider both apply", async () => {
    const clock = fakeClock("2026-11-30T10:00:00Z");
    const budgets = new Budgets(
      [
        { usd: 1, period: "day", key: "*" },
        { usd: 3, period: "day", key: "alice" },
        { usd: 0.5, period: "day", provider: "openai", key: "bob" },
      ],
      new MemoryStateStore(clock),
      clock,
    );
    expect(isWrenError(await budgets.reserve({ provider: "anthropic", keyId: "alice" }, 2.5))).toBe(false);
    const aliceOver = await budgets.reserve({ provider: "anthropic", keyId: "alice" }, 1);
    expect(isWrenError(aliceOver) && aliceOver.message).toContain("the daily budget of client key 'alice' (day:*@alice) of $3");
    // Bob's openai budget is on top of the one every key has: the smaller refuses first.
    expect(isWrenError(await budgets.reserve({ provider: "anthropic", keyId: "bob" }, 0.75))).toBe(false);
    const bobOver = await budgets.reserve({ provider: "openai", keyId: "bob" }, 0.3);
    expect(isWrenError(bobOver) && bobOver.message).toContain("(day:*@*, each key's own) of $1 ($0.7500 spent)");
    expect((await budgets.status()).map((s) => [s.name, s.key, s.spentUsd])).toEqual([
      ["day:*@*", "bob", 0.75],
      ["day:*@alice", "alice", 2.5],
      ["day:openai@bob", "bob", 0],
    ]);
  });
});

describe("MemoryStateStore", () => {
  it("bounds adds, and forgets a counter when its time is up", async () => {
    const clock = fakeClock("2026-11-30T10:00:00Z");
    const store = new MemoryStateStore(clock);
    expect(await store.addWithin("k", 2, 3, 1000)).toEqual({ ok: true, value: 2 });
    expect(await store.addWithin("k", 2, 3, 1000)).toEqual({ ok: false, value: 2 });
    expect(await store.add("k", -1, 1000)).toBe(1);
    clock.set("2026-11-30T10:00:00.999Z");
    expect(await store.get("k")).toBe(1);
    clock.set("2026-11-30T10:00:01Z");
    expect(await store.get("k")).toBe(0);
    expect(await store.addWithin("k", 3, 3, 1000)).toEqual({ ok: true, value: 3 });
  });
});
