import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WrenError } from "../shared/errors.js";
import { BodyBudget, SLOW_BODY_GRACE_MS, SLOW_BODY_MIN_BYTES_PER_SECOND, type ArrivingBody } from "./body-budget.js";

const never = () => new AbortController().signal;

async function take(held: (() => void) | Promise<() => void>): Promise<() => void> {
  return typeof held === "function" ? held : await held;
}

/** Whether a promise has settled after the microtasks queued so far ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("BodyBudget", () => {
  it("lets bodies in at once while they fit, and counts what they hold", () => {
    const gauges = { held: 0, waiting: 0 };
    const budget = new BodyBudget(100, { held: (d) => (gauges.held += d), waiting: (d) => (gauges.waiting += d) });
    const a = budget.acquire(60, never);
    const b = budget.acquire(40, never);
    expect(typeof a).toBe("function");
    expect(typeof b).toBe("function");
    expect(budget.held).toBe(100);
    expect(gauges).toEqual({ held: 100, waiting: 0 });
    (a as () => void)();
    (a as () => void)(); // a second call lets nothing go twice
    expect(budget.held).toBe(40);
    expect(gauges.held).toBe(40);
  });

  it("makes a body that does not fit wait, unread, and lets it in when room is let go", async () => {
    const budget = new BodyBudget(100);
    const first = await take(budget.acquire(80, never));
    const second = budget.acquire(30, never);
    expect(second).toBeInstanceOf(Promise);
    expect(budget.waiting).toBe(1);
    expect(await settled(second as Promise<() => void>)).toBe(false);
    first();
    const release = await second;
    expect(budget.held).toBe(30);
    expect(budget.waiting).toBe(0);
    release();
    expect(budget.held).toBe(0);
  });

  it("keeps first-come order: a small body does not pass a large one waiting before it", async () => {
    const budget = new BodyBudget(100);
    const first = await take(budget.acquire(60, never));
    const large = budget.acquire(90, never) as Promise<() => void>;
    const small = budget.acquire(20, never);
    // 60 + 20 would fit, but the large body waits first; then 90 + 20 does not fit.
    expect(small).toBeInstanceOf(Promise);
    expect(await settled(small as Promise<() => void>)).toBe(false);
    first();
    const largeRelease = await large;
    expect(await settled(small as Promise<() => void>)).toBe(false);
    largeRelease();
    (await small)();
    expect(budget.held).toBe(0);
  });

  it("always lets a body in alone, even one larger than the limit", () => {
    const budget = new BodyBudget(100);
    const held = budget.acquire(500, never);
    expect(typeof held).toBe("function");
    expect(budget.held).toBe(500);
  });

  it("takes a waiting request out of the line when its signal aborts, with the signal's reason, and the line moves on", async () => {
    const budget = new BodyBudget(100);
    const first = await take(budget.acquire(70, never));
    const controller = new AbortController();
    const gone = budget.acquire(50, () => controller.signal) as Promise<() => void>;
    const behind = budget.acquire(20, never) as Promise<() => void>;
    const timeout = new WrenError("timeout", "The request took longer than the server's limit of 1 s.");
    controller.abort(timeout);
    await expect(gone).rejects.toBe(timeout);
    // The aborted head is gone: 70 + 20 fits now.
    (await behind)();
    expect(budget.waiting).toBe(0);
    first();
    expect(budget.held).toBe(0);
  });

  it("refuses with overloaded (retry-after) once too many requests wait", async () => {
    const budget = new BodyBudget(10, undefined, 2);
    await take(budget.acquire(10, never));
    void budget.acquire(5, never);
    void budget.acquire(5, never);
    let refusal: unknown;
    try {
      void budget.acquire(5, never);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(WrenError);
    expect((refusal as WrenError).code).toBe("overloaded");
    expect((refusal as WrenError).retryAfter).toBe(1);
    expect((refusal as WrenError).message).toContain("2 more requests are waiting");
  });

  it("rejects at once a request whose signal already aborted, with a plain reason made a WrenError", async () => {
    const budget = new BodyBudget(10);
    await take(budget.acquire(10, never));
    const controller = new AbortController();
    controller.abort("Client connection prematurely closed.");
    await expect(budget.acquire(5, () => controller.signal)).rejects.toMatchObject({ code: "aborted", message: "Client connection prematurely closed." });
    expect(budget.waiting).toBe(0);
  });

  describe("bodies still arriving", () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
    afterEach(() => vi.useRealTimers());

    /** A body the test feeds by hand, and the errors it was cut with. */
    function arriving(): ArrivingBody & { bytes: number; whole: boolean; cuts: WrenError[] } {
      const body = { bytes: 0, whole: false, cuts: [] as WrenError[], arrived: () => body.whole, received: () => body.bytes, cut: (error: WrenError) => void body.cuts.push(error) };
      return body;
    }

    it("leaves a slow body alone while nobody waits for its room", async () => {
      const budget = new BodyBudget(100);
      const body = arriving();
      const release = await take(budget.acquire(80, never, body));
      await vi.advanceTimersByTimeAsync(10 * SLOW_BODY_GRACE_MS);
      expect(body.cuts).toEqual([]);
      release();
    });

    it("cuts, once, a body behind the pace while another request waits, not before the grace period, and not one keeping it", async () => {
      const budget = new BodyBudget(100);
      const slow = arriving();
      const steady = arriving();
      const releaseSlow = await take(budget.acquire(50, never, slow));
      const releaseSteady = await take(budget.acquire(50, never, steady));
      const waiting = budget.acquire(30, never);
      await vi.advanceTimersByTimeAsync(SLOW_BODY_GRACE_MS - 100);
      expect(slow.cuts).toEqual([]);
      // The steady one keeps the pace: half a second's worth every half second after the grace period.
      for (let t = 0; t < 2000; t += 500) {
        steady.bytes += SLOW_BODY_MIN_BYTES_PER_SECOND / 2;
        await vi.advanceTimersByTimeAsync(500);
      }
      expect(steady.cuts).toEqual([]);
      expect(slow.cuts).toHaveLength(1);
      expect(slow.cuts[0]).toMatchObject({ code: "timeout", status: 408 });
      expect(slow.cuts[0]!.message).toContain("slower than 1 MiB/s while other requests waited");
      await vi.advanceTimersByTimeAsync(5000);
      expect(slow.cuts).toHaveLength(1);
      // Its room goes when its request ends (after the 408): the one waiting is let in.
      releaseSlow();
      const releaseWaiting = await take(waiting);
      releaseWaiting();
      releaseSteady();
      expect(budget.held).toBe(0);
    });

    it("does not watch a body that had arrived when it was let in", async () => {
      const budget = new BodyBudget(100);
      const whole = arriving();
      whole.whole = true;
      const release = await take(budget.acquire(80, never, whole));
      whole.whole = false;
      const waiting = budget.acquire(30, never);
      await vi.advanceTimersByTimeAsync(10 * SLOW_BODY_GRACE_MS);
      expect(whole.cuts).toEqual([]);
      release();
      (await take(waiting))();
    });
  });
});
