import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ReplicaPool } from "./pool.js";

describe("a pool's health checks of a replica that accepts connections and never answers", () => {
  it("hold one check of it at a time, however often a round starts; the check fails when it is let go", async () => {
    const sockets = new Set<Socket>();
    let requests = 0;
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once("data", () => requests++);
      socket.on("error", () => undefined);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // Checks are never started in the background here, and their limit is far past the test: only
    // the replica going away ends the first.
    using pool = new ReplicaPool({ name: "gpus", replicas: [`http://127.0.0.1:${port}/v1`], health: { intervalMs: 3_600_000, timeoutMs: 3_600_000, unhealthyAfter: 1 } });
    const first = pool.checkNow();
    await expect.poll(() => requests, { timeout: 5_000 }).toBe(1);
    await Promise.all([pool.checkNow(), pool.checkNow(), pool.checkNow()]);
    expect(requests).toBe(1);
    expect(pool.snapshot().map((r) => r.healthy)).toEqual([true]);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    await first;
    expect(pool.snapshot().map((r) => r.healthy)).toEqual([false]);
  });
});
