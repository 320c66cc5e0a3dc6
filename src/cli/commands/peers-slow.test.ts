import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { Advertiser } from "../../peers/advertise.js";
import { keyFingerprint } from "../../peers/fingerprint.js";

const KEY = "the-shared-peers-key-0123456789";

/** `wren peers list` with a peer that is heard on the network but has not answered its info yet. */
describe("wren peers list with a peer answering slowly", () => {
  it("says the peer has not answered yet, rather than that its health is unknown", async () => {
    const name = `slow-${randomBytes(4).toString("hex")}`;
    // Holds every request open (a peer busy loading a model, or on a slow link); the list ends before
    // wren gives up on it (10 s), as a plain `wren peers list` (2 s) does.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const advertiser = new Advertiser({ name, port: (server.address() as AddressInfo).port, fingerprint: keyFingerprint(KEY), version: "1" }, { interface: "127.0.0.1" });
    try {
      const home = mkdtempSync(path.join(os.tmpdir(), "wren-peers-slow-"));
      const listed = await runCli(["peers", "list", "--wait-for", name, "--wait", "8000"], {
        env: { WREN_HOME: home, WREN_PEERS_KEY: KEY, WREN_PEERS_INTERFACE: "127.0.0.1", WREN_PEERS_NAME: "lister" },
        timeoutMs: 60_000,
      });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`^${name}\\s+http://127\\.0\\.0\\.1:\\d+\\s+-\\s+-\\s+-\\s+.*\\s+no answer yet`, "m"));
    } finally {
      await advertiser[Symbol.asyncDispose]();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 90_000);
});
