import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../../test/helpers/redis-server.js";
import { RedisStateStore } from "./redis-store.js";

/** Long enough that no counter expires while a test runs. */
const hour = 3_600_000;

type Status = { up: boolean; error?: string };

/** Holds this process's event loop (the thread sleeps, burning no CPU), as a long synchronous task would. */
function holdEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Two turns of the event loop: the client writes a command on the turn after it is sent. */
async function commandWritten(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

// SIGSTOP freezes the server as a hung one would be: its connections stay open and nothing is
// answered. Windows has no SIGSTOP (nor Debian's redis-server); CI runs on Linux.
describe.skipIf(process.platform === "win32")("the Redis store when its server stops answering (SIGSTOP)", () => {
  let redis: RedisServer;
  let store: RedisStateStore | undefined;
  let events: Status[];

  const open = async (timeoutMs: number): Promise<RedisStateStore> => {
    store = await RedisStateStore.connect({ url: redis.url, keyPrefix: "t:", timeoutMs, onStatus: (e) => events.push(e) });
    return store;
  };

  beforeEach(async () => {
    events = [];
    redis = await startRedisServer();
  });
  afterEach(async () => {
    // The server first, so the store's close finds nothing waiting on a frozen one.
    await redis?.close();
    await store?.close();
    store = undefined;
  });

  it("fails every command as unreachable instead of waiting, says so once, and is used again once the server answers", async () => {
    const s = await open(1_000);
    expect(events).toEqual([{ up: true }]);
    expect(await s.add("spent", 1, hour)).toBe(1);

    redis.freeze();
    // Each kind of command the router sends. A command left waiting would hang this test: its own
    // timeout is what fails it then.
    const results = await Promise.allSettled([
      s.addWithin("spent", 1, 10, hour),
      s.add("spent", 1, hour),
      s.get("spent"),
      s.breakers.admit("openai:gpt", "A", { threshold: 2, windowMs: hour, cooldownMs: hour }),
      s.log.append("decisions", "{}", 10),
    ]);
    for (const result of results) expect(result).toMatchObject({ status: "rejected", reason: { code: "not_ready", isRetryable: true } });
    // Later ones fail at once, without being sent: were each to wait out its second on the frozen
    // server, these hundred would outlast this test's own timeout.
    for (let i = 0; i < 100; i++) await expect(s.get("spent")).rejects.toMatchObject({ code: "not_ready" });
    expect(events).toEqual([{ up: true }, { up: false, error: "Redis did not answer within 1000 ms" }]);

    redis.thaw();
    await expect.poll(() => events.length, { timeout: 30_000 }).toBe(3);
    expect(events[2]).toEqual({ up: true });
    expect(await s.add("after", 2, hour)).toBe(2);
    expect(await s.get("after")).toBe(2);
  });

  it("notices a server that hangs while no command is sent (its keep-alive PING goes unanswered), and when it answers again", async () => {
    await open(1_000);
    redis.freeze();
    // The client PINGs every few seconds and drops a connection silent for longer.
    await expect.poll(() => events.at(-1), { timeout: 30_000, interval: 100 }).toMatchObject({ up: false });
    expect(events.filter((e) => !e.up)).toHaveLength(1);
    redis.thaw();
    await expect.poll(() => events.at(-1), { timeout: 30_000, interval: 100 }).toEqual({ up: true });
  });

  it("counts an answer that came in while this process's own event loop was held past the timeout", async () => {
    const s = await open(1_500);
    redis.freeze();
    const pending = s.add("held", 5, hour);
    await commandWritten();
    // The server answers while this process cannot run: by the time it can, the command's timer
    // has expired, and the answer is already waiting on the socket. (Held for less than the 5 s
    // after which the client drops a silent connection: that timer would expire too.)
    redis.thaw();
    holdEventLoop(3_500);
    expect(await pending).toBe(5);
    expect(events).toEqual([{ up: true }]);
  });

  it("closes while its server is frozen, with a command in flight", async () => {
    const s = await open(1_000);
    redis.freeze();
    const pending = s.get("anything");
    await commandWritten();
    // A QUIT would wait for the frozen server for good; close lets the command reach its timeout.
    await s.close();
    await expect(pending).rejects.toMatchObject({ code: "not_ready" });
  });
});
