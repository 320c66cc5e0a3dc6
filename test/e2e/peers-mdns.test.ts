import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { pollUntil, serveAdvertised as serve } from "../helpers/peer-servers.js";
import { stopChild as stop } from "../helpers/processes.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const KEY = "wren-peers-test-key-0123456789";

// Both servers on this machine's loopback interface, on separate ports; mDNS runs over multicast
// on 127.0.0.1 (peers.interface), with multicast loopback so each hears the other.
describe.runIf(hasSharedModels)("LAN peers over mDNS (loopback, separate ports)", () => {
  let alphaHome: string;
  let betaHome: string;
  let alpha: ChildProcess | undefined;
  let beta: ChildProcess | undefined;
  let alphaUrl: string;
  let betaUrl: string;
  const base = { WREN_ENGINE_GPU: "cpu", WREN_ENGINE_CONTEXT_SIZE: "512", WREN_PEERS_INTERFACE: "127.0.0.1", WREN_PEERS_REFRESH_SECONDS: "1" };

  beforeAll(async () => {
    alphaHome = await mkdtemp(path.join(os.tmpdir(), "wren-peer-alpha-"));
    betaHome = await mkdtemp(path.join(os.tmpdir(), "wren-peer-beta-"));
    const b = serve(sharedModels.chat, { ...base, WREN_HOME: betaHome, WREN_PEERS_KEY: KEY, WREN_PEERS_NAME: "beta" });
    beta = b.child;
    const a = serve(sharedModels.stories, { ...base, WREN_HOME: alphaHome, WREN_PEERS_KEY: KEY, WREN_PEERS_NAME: "alpha" });
    alpha = a.child;
    [alphaUrl, betaUrl] = await Promise.all([a.url, b.url]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([stop(alpha), stop(beta)]);
    await rm(alphaHome, { recursive: true, force: true });
    await rm(betaHome, { recursive: true, force: true });
  });

  it("one answers a request through the other, with provenance naming the peer", async () => {
    const ask = () =>
      fetch(`${alphaUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: "peer:beta/synthetic-bigram-chatml", messages: [{ role: "user", content: "hi" }], max_tokens: 16 }),
      });
    // Until alpha has heard beta and read its models, the target is unknown (404): poll with a deadline.
    const response = await pollUntil(ask, (r) => r.status !== 404, 120_000);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }>; wren_provenance?: { provider: string; peer?: string; replica?: string } };
    expect(body.choices[0]!.message.content).toBe("Hello from the tiny synthetic model.");
    expect(body.wren_provenance).toMatchObject({ provider: "peer", peer: "beta", replica: betaUrl });
    expect(response.headers.get("x-wren-provider")).toBe("peer");

    // The least-loaded peer with the model, and the most capable model that fits, find beta too.
    for (const model of ["peer:*/synthetic-bigram-chatml", "peer:*"]) {
      const r = await fetch(`${alphaUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 16 }),
      });
      expect(r.status).toBe(200);
      const b = (await r.json()) as { wren_provenance?: { peer?: string } };
      expect(b.wren_provenance?.peer).toBe("beta");
    }
  }, 180_000);

  it("without the shared key the peer refuses with 401, in the caller's dialect", async () => {
    const openai = await fetch(`${betaUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "synthetic-bigram-chatml", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(openai.status).toBe(401);
    expect(((await openai.json()) as { error: { type?: string; code?: string } }).error).toBeDefined();
    const anthropic = await fetch(`${betaUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "not-the-key-not-the-key" },
      body: JSON.stringify({ model: "synthetic-bigram-chatml", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(anthropic.status).toBe(401);
    expect(await anthropic.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const info = await fetch(`${betaUrl}/v1/peer/info`, { headers: { authorization: "Bearer not-the-key-not-the-key" } });
    expect(info.status).toBe(401);
    const withKey = await fetch(`${betaUrl}/v1/peer/info`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(withKey.status).toBe(200);
    expect(await withKey.json()).toMatchObject({ name: "beta", models: [{ id: "synthetic-bigram-chatml" }], health: "ok" });
  });

  it("`wren peers list` shows the other peer with its models; with another key it says the keys differ", async () => {
    const env = { ...base, WREN_HOME: alphaHome, WREN_PEERS_KEY: KEY, WREN_PEERS_NAME: "alpha" };
    const listed = await runCli(["peers", "list", "--wait-for", "beta", "--wait", "120000"], { env, timeoutMs: 150_000 });
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^PEER\s+URL\s+MODEL\s+CONTEXT\s+LOAD\s+HARDWARE\s+HEALTH/);
    expect(listed.stdout).toMatch(/beta\s+http:\/\/127\.0\.0\.1:\d+\s+peer:beta\/synthetic-bigram-chatml\s+\d+\s+\d+ in flight\s+cpu, .* free of .*\s+ok/);

    const json = await runCli(["peers", "list", "--json", "--wait-for", "alpha", "--wait-for", "beta", "--wait", "120000"], { env: { ...env, WREN_PEERS_KEY: "another-key-another-key" }, timeoutMs: 150_000 });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { peers: Array<{ name: string; keyMatches: boolean; problem?: string }> };
    const betaEntry = parsed.peers.find((p) => p.name === "beta");
    expect(betaEntry).toMatchObject({ keyMatches: false, problem: "its key differs from this machine's" });
  }, 320_000);

  it("a server that advertises without a key refuses to start, saying why", async () => {
    const r = await runCli(["serve", "--advertise", "--model", sharedModels.chat, "--port", "0"], { env: { ...base, WREN_HOME: alphaHome } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^wren: peers\.advertise is on, and no peers\.key is set/);
    expect(r.stderr).toContain("WREN_PEERS_KEY");
  });
});
