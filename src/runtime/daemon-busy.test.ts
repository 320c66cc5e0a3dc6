import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { defaultConfig } from "../config/index.js";
import { daemonOwnerKey } from "./daemon-identity.js";
import { newDaemonToken, type DaemonLock } from "./daemon-state.js";
import { daemonActiveRequests } from "./daemon-version.js";
import { startServer, type RunningServer } from "./serve.js";

/** Waits until `done()` holds, or fails after `ms`. */
async function until(done: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(20);
  }
}

describe("a daemon forwarding a request to a teacher", () => {
  let teacher: FakeUpstream;
  let server: RunningServer;
  const lock: DaemonLock = { pid: process.pid, token: newDaemonToken(), controlPort: 1, startedAt: new Date().toISOString() };

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    // As the daemon runs it: loopback, the owner key its clients send, and a teacher (no local model).
    const router = defaultConfig({ env: {} }, {
      router: { proxyOnly: true, healthIntervalMs: 0, cloud: "allow", teachers: ["openai:gpt-4o-mini"], providers: { openai: { baseURL: `${teacher.url}/v1`, cloud: true } } },
    }).router;
    server = await startServer({ models: [], host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router, ownerKey: daemonOwnerKey(lock.token) });
  });
  afterAll(async () => {
    await server?.close();
    await teacher?.close();
  });

  it("is busy while the teacher's answer streams, so a client of another wren version does not replace it; idle once it ends", async () => {
    expect(await daemonActiveRequests(server.url, lock)).toBe(0);
    // The teacher sends its first words (the role, then the first text: OpenAI's second event), then
    // holds the answer open until the client goes away. With the first token sent, the daemon's 200
    // comes at once, not when it stops waiting for that token (15 s).
    teacher.fail({ kind: "pause", afterEvents: 2 });
    const client = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "auto", stream: true, messages: [{ role: "user", content: "Hi" }] }),
      signal: client.signal,
    });
    expect(res.status).toBe(200);
    await until(() => teacher.inFlight === 1);
    expect(await daemonActiveRequests(server.url, lock)).toBe(1);
    const status = (await (await fetch(`${server.url}/status`)).json()) as { routedRequests?: number };
    expect(status.routedRequests).toBe(1);
    client.abort();
    await res.body?.cancel().catch(() => undefined);
    await until(async () => (await daemonActiveRequests(server.url, lock)) === 0);
  }, 60_000);
});
