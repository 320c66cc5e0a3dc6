import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { pollUntil } from "../helpers/peer-servers.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const KEY = "wren-daemon-peers-key-0123456789";

// Two wren daemons (one per WREN_HOME, as for two users or two machines) on loopback, separate ports.
describe.runIf(hasSharedModels)("LAN peers: two wren daemons started with --advertise (loopback)", () => {
  const homes: Record<"one" | "two", string> = { one: "", two: "" };
  const urls: Record<"one" | "two", string> = { one: "", two: "" };
  const pids = new Set<number>();
  const env = (who: "one" | "two") => ({
    WREN_HOME: homes[who],
    WREN_ENGINE_GPU: "cpu",
    WREN_ENGINE_CONTEXT_SIZE: "512",
    WREN_PEERS_KEY: KEY,
    WREN_PEERS_NAME: `daemon-${who}`,
    WREN_PEERS_INTERFACE: "127.0.0.1",
    WREN_PEERS_REFRESH_SECONDS: "1",
  });

  beforeAll(async () => {
    for (const who of ["one", "two"] as const) {
      homes[who] = await mkdtemp(path.join(os.tmpdir(), `wren-peer-daemon-${who}-`));
      const model = who === "one" ? sharedModels.stories : sharedModels.chat;
      const started = await runCli(["daemon", "start", "--advertise", "--model", model, "--port", "0"], { env: env(who), timeoutMs: 120_000 });
      expect(started.stderr).toBe("");
      expect(started.code).toBe(0);
      const status = JSON.parse((await runCli(["daemon", "status", "--json"], { env: env(who) })).stdout) as { pid?: number; url?: string };
      if (status.pid) pids.add(status.pid);
      expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      urls[who] = status.url!;
    }
  }, 300_000);

  afterAll(async () => {
    for (const who of ["one", "two"] as const) if (homes[who]) await runCli(["daemon", "stop"], { env: env(who) });
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already stopped.
      }
    }
    for (const home of Object.values(homes)) if (home) await rm(home, { recursive: true, force: true });
  });

  it("one daemon answers through the other, naming it; without the key the other refuses", async () => {
    const ask = () =>
      fetch(`${urls.one}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: "peer:daemon-two/synthetic-bigram-chatml", messages: [{ role: "user", content: "hi" }], max_tokens: 16 }),
      });
    const response = await pollUntil(ask, (r) => r.status !== 404, 120_000);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }>; wren_provenance?: { peer?: string; replica?: string } };
    expect(body.choices[0]!.message.content).toBe("Hello from the tiny synthetic model.");
    expect(body.wren_provenance).toMatchObject({ peer: "daemon-two", replica: urls.two });

    const refused = await fetch(`${urls.two}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer some-other-key-some-other-key" },
      body: JSON.stringify({ model: "synthetic-bigram-chatml", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(refused.status).toBe(401);
  }, 180_000);
});
