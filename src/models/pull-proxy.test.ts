import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startConnectProxy, type ConnectProxy } from "../../test/helpers/connect-proxy.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { pullModel } from "./pull.js";

/**
 * Behind a company's proxy, the Hub is reached only through it: `hub.internal` resolves nowhere but
 * at the proxy, so a pull that completes went through it (its file list, HEAD and download).
 */
describe("wren pull behind the proxy the environment names", () => {
  let hub: FakeHub;
  let proxy: ConnectProxy;
  const content = randomBytes(300_000);
  const saved = process.env["HTTP_PROXY"];
  beforeAll(async () => {
    hub = await startFakeHub({ repos: { "wren-test/proxied-GGUF": { files: [{ path: "proxied-Q8_0.gguf", content }] } } });
    proxy = await startConnectProxy({ "hub.internal": Number(new URL(hub.url).port) });
  });
  afterAll(async () => {
    await Promise.all([hub.close(), proxy.close()]);
  });
  afterEach(() => {
    if (saved === undefined) delete process.env["HTTP_PROXY"];
    else process.env["HTTP_PROXY"] = saved;
  });

  it("pulls through HTTP_PROXY: every request of the pull goes through the proxy", async () => {
    process.env["HTTP_PROXY"] = proxy.url;
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-proxy-"));
    const pulled = await pullModel("hf:wren-test/proxied-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: `http://hub.internal:${new URL(hub.url).port}` }, retries: 0 });
    expect(readFileSync(pulled.path).equals(content)).toBe(true);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set([`hub.internal:${new URL(hub.url).port}`]));
  });

  it("reaches a Hub on this machine directly, whatever the proxy", async () => {
    process.env["HTTP_PROXY"] = proxy.url;
    const before = proxy.tunnels.length;
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-proxy-"));
    const pulled = await pullModel("hf:wren-test/proxied-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: hub.url }, retries: 0 });
    expect(readFileSync(pulled.path).equals(content)).toBe(true);
    expect(proxy.tunnels.length).toBe(before);
  });
});
