import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { timeoutAbortController } from "./abort.js";
import { isWrenError } from "./errors.js";

/** Collects garbage every few milliseconds until stopped: what lost `AbortSignal.any`'s timeout on Node 20. */
function garbagePressure(): Disposable {
  v8.setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const timer = setInterval(gc, 20);
  return { [Symbol.dispose]: () => clearInterval(timer) };
}

describe("timeoutAbortController", () => {
  it("aborts with a timeout error when the time runs out, even with nothing else holding it and garbage collected meanwhile", async () => {
    using _pressure = garbagePressure();
    const parent = new AbortController();
    const reason = await new Promise<unknown>((resolve) => {
      const controller = timeoutAbortController(200, "It took too long.", parent.signal);
      controller.signal.addEventListener("abort", () => resolve(controller.signal.reason), { once: true });
    });
    expect(isWrenError(reason) && reason.code).toBe("timeout");
    expect((reason as Error).message).toBe("It took too long.");
  });

  it("follows a linked signal, not counting it as a timeout, and never fires once disposed", async () => {
    const parent = new AbortController();
    const linked = timeoutAbortController(60_000, "late", parent.signal);
    parent.abort("stop");
    expect(linked.signal.reason).toBe("stop");
    expect(linked.timedOut).toBe(false);
    linked[Symbol.dispose]();

    const disposed = timeoutAbortController(10, "late");
    disposed[Symbol.dispose]();
    const fired = timeoutAbortController(50, "reference");
    await new Promise((resolve) => fired.signal.addEventListener("abort", resolve, { once: true }));
    expect(fired.timedOut).toBe(true);
    expect(disposed.signal.aborted).toBe(false);
    expect(disposed.timedOut).toBe(false);
  });
});
