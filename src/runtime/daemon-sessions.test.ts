import { describe, expect, it } from "vitest";
import { openDaemonControl } from "./daemon-control.js";
import { DAEMON_TOKEN_HEADER } from "./daemon-identity.js";
import { listDaemonSessions, touchDaemonSession } from "./daemon-session-client.js";
import { SessionRegistry } from "./daemon-sessions.js";

describe("daemon sessions: each request touches its session, idle ones are dropped", () => {
  it("counts requests, lists the latest first, and drops a session silent past the bound", () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const registry = new SessionRegistry(60_000, () => now);
    registry.touch({ id: "a", cwd: "/p/a", model: "auto" });
    now += 10_000;
    registry.touch({ id: "b" });
    now += 10_000;
    const a = registry.touch({ id: "a", cwd: "/p/a", model: "auto" });
    expect(a).toMatchObject({ id: "a", requests: 2, since: "2026-01-01T00:00:00.000Z", lastActivity: "2026-01-01T00:00:20.000Z" });
    expect(registry.list().map((s) => s.id)).toEqual(["a", "b"]);
    now += 50_001; // b last spoke 60.001 s ago, a 50.001 s ago
    expect(registry.list().map((s) => s.id)).toEqual(["a"]);
    now += 10_000;
    expect(registry.list()).toEqual([]);
  });

  it("the control listener keeps the list for the daemon's owner only, and names what is wrong with a bad touch", async () => {
    await using control = await openDaemonControl(4242);
    const lock = { pid: 4242, token: control.token, controlPort: control.port, startedAt: new Date().toISOString() };
    await touchDaemonSession(lock, { id: "s1", cwd: "/work/p", model: "auto" });
    await touchDaemonSession(lock, { id: "s1", cwd: "/work/p", model: "auto" });
    const sessions = await listDaemonSessions(lock);
    expect(sessions).toEqual([expect.objectContaining({ id: "s1", cwd: "/work/p", model: "auto", requests: 2 })]);
    expect(control.sessions()).toEqual(sessions);

    const url = `http://127.0.0.1:${control.port}/sessions`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { method: "POST", headers: { [DAEMON_TOKEN_HEADER]: "0".repeat(64) }, body: "{}" })).status).toBe(401);
    const bad = await fetch(url, { method: "POST", headers: { [DAEMON_TOKEN_HEADER]: control.token, "content-type": "application/json" }, body: JSON.stringify({ id: "", extra: 1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/id: .*|extra/);
    expect(await listDaemonSessions({ ...lock, token: "1".repeat(64) })).toBeUndefined();
  });
});
