import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { openLocalModel } from "./local.js";
import { startServerFromConfig } from "./serve-main.js";

/**
 * `router.offline = true` (in the user's config file, or `WREN_ROUTER_OFFLINE=true`) says "never
 * leave this machine, whatever `cloud` says", as `--offline` does: a model that is not here is not
 * downloaded, neither one named nor wren's embedded default. The Hub and the URL are a local
 * server here, which must hear nothing.
 */
describe("router.offline in config keeps model downloads off the network, as --offline does", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wren-offline-config-"));
  const requests: string[] = [];
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    requests.length = 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (name: string) => ({ WREN_HOME: path.join(dir, name), HOME: dir, HF_ENDPOINT: origin, WREN_ROUTER_OFFLINE: "true", WREN_ENGINE_GPU: "cpu" });

  it("wren serve --model URL: refused as offline, the URL never asked", async () => {
    const started = startServerFromConfig({ model: [`${origin}/m.gguf`], port: "0", cors: [] }, env("serve-url"), pino({ level: "silent" }));
    await expect(started.then(async (s) => void (await s.close()))).rejects.toThrow(/offline/);
    expect(requests).toEqual([]);
  });

  it("wren serve with no model: the embedded default is not fetched from the Hub", async () => {
    const started = startServerFromConfig({ model: [], port: "0", cors: [] }, env("serve-default"), pino({ level: "silent" }));
    await expect(started.then(async (s) => void (await s.close()))).rejects.toThrow(/offline/);
    expect(requests).toEqual([]);
  });

  it("wren run (openLocalModel): refused as offline, the URL never asked", async () => {
    const config = defaultConfig({ env: {} }, { router: { offline: true }, models: { dir: path.join(dir, "run-models") } });
    await expect(openLocalModel({ config, ref: `${origin}/m.gguf` })).rejects.toThrow(/offline/);
    expect(requests).toEqual([]);
  });
});
