import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollUntil, runWren, serveAdvertised } from "../helpers/peer-servers.js";
import { stopChild } from "../helpers/processes.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";
import { processAlive } from "../../src/models/lock-owner.js";

const KEY = "wren-netns-test-key-0123456789";
// Names unique per run (interface names are at most 15 characters).
const id = String(process.pid % 100000);
const ns = `wren-peers-${id}`;
const hostSide = `wph${id}`;
const nsSide = `wpn${id}`;
const hostAddress = "10.231.77.1";
const nsAddress = "10.231.77.2";

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });

/**
 * A second network namespace joined to this one by a veth pair: this one holds 10.231.77.1, the
 * namespace 10.231.77.2, each with its own loopback. Needs root (CAP_NET_ADMIN) and iproute2;
 * where they are missing, test/e2e/peers-mdns.test.ts covers the same on loopback.
 */
function makeNamespace(): boolean {
  if (process.platform !== "linux") return false;
  removeLeftNamespaces();
  try {
    ip("netns", "add", ns);
  } catch {
    return false;
  }
  try {
    ip("link", "add", hostSide, "type", "veth", "peer", "name", nsSide);
    ip("link", "set", nsSide, "netns", ns);
    ip("addr", "add", `${hostAddress}/24`, "dev", hostSide);
    ip("link", "set", hostSide, "up");
    ip("netns", "exec", ns, "ip", "addr", "add", `${nsAddress}/24`, "dev", nsSide);
    ip("netns", "exec", ns, "ip", "link", "set", nsSide, "up");
    ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
    return true;
  } catch (error) {
    removeNamespace();
    throw error;
  }
}

/**
 * A run that was killed left its namespace and its end of the pair holding 10.231.77.1: this run's
 * would then not be reached. Those whose process (named in them) is gone are removed.
 */
function removeLeftNamespaces(): void {
  let listed: string;
  try {
    listed = ip("netns", "list").toString();
  } catch {
    return;
  }
  for (const [, left] of listed.matchAll(/^wren-peers-(\d+)\b/gm)) {
    if (left === id || processAlive(Number(left))) continue;
    removeNamespace(left);
  }
}

function removeNamespace(which = id): void {
  // Deleting the namespace deletes its end of the pair, and with it this end.
  try {
    ip("netns", "del", `wren-peers-${which}`);
  } catch {
    // Already gone.
  }
  try {
    ip("link", "del", `wph${which}`);
  } catch {
    // Went with the namespace.
  }
}

const namespaces = hasSharedModels && makeNamespace();

describe.runIf(namespaces)("LAN peers over mDNS (separate network namespaces joined by a veth pair)", () => {
  let homeA: string;
  let homeB: string;
  let alpha: ChildProcess | undefined;
  let beta: ChildProcess | undefined;
  let alphaUrl: string;
  let betaUrl: string;
  const base = { WREN_ENGINE_GPU: "cpu", WREN_ENGINE_CONTEXT_SIZE: "512", WREN_PEERS_KEY: KEY, WREN_PEERS_REFRESH_SECONDS: "1" };
  const envA = () => ({ ...base, WREN_HOME: homeA, WREN_PEERS_NAME: "ns-alpha", WREN_PEERS_INTERFACE: hostAddress });
  const envB = () => ({ ...base, WREN_HOME: homeB, WREN_PEERS_NAME: "ns-beta", WREN_PEERS_INTERFACE: nsAddress });

  beforeAll(async () => {
    homeA = await mkdtemp(path.join(os.tmpdir(), "wren-netns-a-"));
    homeB = await mkdtemp(path.join(os.tmpdir(), "wren-netns-b-"));
    // Each binds its own side's address: beyond loopback, which the peers key allows.
    const b = serveAdvertised(sharedModels.chat, envB(), { host: nsAddress, netns: ns });
    beta = b.child;
    const a = serveAdvertised(sharedModels.stories, envA(), { host: hostAddress });
    alpha = a.child;
    [alphaUrl, betaUrl] = await Promise.all([a.url, b.url]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([stopChild(alpha), stopChild(beta)]);
    removeNamespace();
    await rm(homeA, { recursive: true, force: true });
    await rm(homeB, { recursive: true, force: true });
  });

  it("the server in this namespace answers through the one in the other, with provenance naming it", async () => {
    expect(betaUrl).toMatch(/^http:\/\/10\.231\.77\.2:\d+$/);
    const ask = () =>
      fetch(`${alphaUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: "peer:ns-beta/synthetic-bigram-chatml", messages: [{ role: "user", content: "hi" }], max_tokens: 16 }),
      });
    const response = await pollUntil(ask, (r) => r.status !== 404, 120_000);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }>; wren_provenance?: { peer?: string; replica?: string } };
    expect(body.choices[0]!.message.content).toBe("Hello from the tiny synthetic model.");
    expect(body.wren_provenance).toMatchObject({ peer: "ns-beta", replica: betaUrl });
  }, 180_000);

  it("without the key the peer in the other namespace refuses with 401", async () => {
    const r = await fetch(`${betaUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "synthetic-bigram-chatml", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(r.status).toBe(401);
  });

  it("`wren peers list` inside the other namespace shows this one's server", async () => {
    const listed = await runWren(["peers", "list", "--wait-for", "ns-alpha", "--wait", "120000"], envB(), ns);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`ns-alpha\\s+http://${hostAddress.replace(/\./g, "\\.")}:\\d+\\s+peer:ns-alpha/stories260K\\s+\\d+\\s+\\d+ in flight\\s+cpu, .*\\s+ok`));
  }, 160_000);
});
