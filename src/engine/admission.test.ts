import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { Admission } from "./admission.js";

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("a model's admission", () => {
  it("admits up to its capacity, then queues in order of arrival: each release lets in the first in line", async () => {
    const admission = new Admission({ capacity: 2, maxQueued: 8, modelId: "m" });
    const first = await admission.enter();
    const second = await admission.enter();
    expect(first.waitedMs).toBe(0);
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => admission.enter().then((ticket) => (order.push(n), ticket)));
    await settle();
    expect(admission.stats()).toEqual({ active: 2, queued: 3, capacity: 2 });
    expect(order).toEqual([]);
    first.release();
    first.release(); // a second release gives back nothing more
    await settle();
    expect(order).toEqual([1]);
    expect(admission.stats()).toEqual({ active: 2, queued: 2, capacity: 2 });
    second.release();
    const [one, two] = await Promise.all(waiting.slice(0, 2));
    expect(order).toEqual([1, 2]);
    one!.release();
    two!.release();
    const three = await waiting[2]!;
    expect(order).toEqual([1, 2, 3]);
    expect(three.waitedMs).toBeGreaterThanOrEqual(0);
    three.release();
    expect(admission.stats()).toEqual({ active: 0, queued: 0, capacity: 2 });
  });

  it("refuses a request past the line at once: overloaded, 429, retry-after 1, naming the model", async () => {
    const admission = new Admission({ capacity: 1, maxQueued: 1, modelId: "chat" });
    const held = await admission.enter();
    const queued = admission.enter();
    const refused = await admission.enter().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WrenError);
    expect(refused).toMatchObject({ code: "overloaded", status: 429, retryAfter: 1, isRetryable: true });
    expect((refused as WrenError).message).toBe("Model 'chat' is busy: 1 requests are running and 1 are queued.");
    held.release();
    (await queued).release();
    expect(admission.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it("takes a request whose client left out of the line, with its signal's reason, and lets the next one in", async () => {
    const admission = new Admission({ capacity: 1, maxQueued: 4, modelId: "m" });
    const held = await admission.enter();
    const client = new AbortController();
    const timeout = new AbortController();
    const gone = admission.enter(client.signal);
    const timedOut = admission.enter(timeout.signal);
    const next = admission.enter();
    await settle();
    expect(admission.stats().queued).toBe(3);
    client.abort();
    timeout.abort(new WrenError("timeout", "The request took longer than server.requestTimeout."));
    await expect(gone).rejects.toMatchObject({ code: "aborted" });
    await expect(timedOut).rejects.toMatchObject({ code: "timeout" });
    expect(admission.stats().queued).toBe(1);
    held.release();
    (await next).release();
    expect(admission.stats()).toMatchObject({ active: 0, queued: 0 });
    // Aborted before it asks: refused at once, nothing held.
    await expect(admission.enter(AbortSignal.abort())).rejects.toMatchObject({ code: "aborted" });
    expect(admission.stats().active).toBe(0);
  });

  it("once closed (the model unloads), refuses those waiting and any later request with the closing error", async () => {
    const admission = new Admission({ capacity: 1, maxQueued: 4, modelId: "m" });
    await admission.enter();
    const waiting = admission.enter();
    admission.close(new WrenError("not_ready", "The model was unloaded while the request waited."));
    await expect(waiting).rejects.toMatchObject({ code: "not_ready" });
    await expect(admission.enter()).rejects.toMatchObject({ code: "not_ready" });
    expect(admission.stats().queued).toBe(0);
  });
});
