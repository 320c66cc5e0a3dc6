import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerHeaders } from "../../src/runtime/daemon-identity.js";
import { daemonFiles, readLock } from "../../src/runtime/daemon-state.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { runCli } from "../helpers/cli.js";
import { pollUntil } from "../helpers/peer-servers.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

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

  it("lets its own user's wren commands in without the peers key (wren run through it, wren daemon status), and no one else", async () => {
    const run = await runCli(["run", "--daemon", "-t", "0", "--model", sharedModels.chat, "hi"], { env: env("two"), timeoutMs: 90_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${CHAT_MODEL_REPLY}\n`);
    const status = JSON.parse((await runCli(["daemon", "status", "--json"], { env: env("two") })).stdout) as { models?: Array<{ id: string }> };
    expect(status.models?.map((m) => m.id)).toContain("synthetic-bigram-chatml");

    // The owner key comes from the daemon's lock: daemon one's opens daemon one, not daemon two.
    const lockOf = async (who: "one" | "two") => {
      const found = await readLock(daemonFiles(resolvePaths(env(who)).stateDir));
      if (found.kind !== "lock") throw new Error(`daemon ${who} holds no lock`);
      return found.lock;
    };
    const models = (who: "one" | "two", headers: Record<string, string>) => fetch(`${urls[who]}/v1/models`, { headers }).then((r) => r.status);
    const ownKey = ownerHeaders(await lockOf("one"));
    expect(await models("one", ownKey)).toBe(200);
    expect(await models("two", ownKey)).toBe(401);
    expect(await models("two", {})).toBe(401);
    // The lock's token itself is not the owner key.
    expect(await models("two", { "x-wren-owner-key": (await lockOf("two")).token })).toBe(401);
  }, 180_000);
});
