import { describe, expect, it } from "vitest";
import { Outbox, type CallbackSocket } from "./ws-outbox.js";

/** A socket that holds each message's callback until `flush` writes it. */
function heldSocket(): CallbackSocket & { flush(n?: number): void } {
  const held: Array<() => void> = [];
  return {
    send: (_data, callback) => void held.push(() => callback()),
    flush: (n = held.length) => held.splice(0, n).forEach((write) => write()),
  };
}

describe("Outbox", () => {
  it("is full past its bound of unsent bytes, and drains at half of it", async () => {
    const socket = heldSocket();
    const outbox = new Outbox(1000);
    for (let i = 0; i < 11; i++) outbox.send(socket, "x".repeat(100));
    expect(outbox.full).toBe(true);
    let drained = false;
    const waiting = outbox.drained(new AbortController().signal).then(() => (drained = true));
    socket.flush(5);
    await Promise.resolve();
    expect(drained).toBe(false);
    socket.flush(1);
    await waiting;
    expect(outbox.full).toBe(false);
  });

  it("stops waiting when its signal aborts (the socket closed)", async () => {
    const outbox = new Outbox(10);
    outbox.send(heldSocket(), "x".repeat(100));
    const abort = new AbortController();
    const waiting = outbox.drained(abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
