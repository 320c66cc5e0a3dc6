import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** What a newcomer sees when `wren serve` cannot start: one readable line that says what to do. */
describe.runIf(hasSharedModels)("wren serve start errors", () => {
  let home: string;
  let env: Record<string, string>;
  let occupied: Server;
  let port: number;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-serve-errors-"));
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_CONTEXT_SIZE: "512" };
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, "127.0.0.1", resolve));
    port = (occupied.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => occupied.close(() => resolve()));
    await rm(home, { recursive: true, force: true });
  });

  it("a port in use is one sentence saying so, then the hint as its own sentence", async () => {
    const r = await runCli(["serve", "--model", sharedModels.chat, "--port", String(port)], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`wren: Cannot listen on 127.0.0.1:${port}: the address is already in use. Another process uses that port:`);
    expect(r.stderr).not.toContain("EADDRINUSE");
  });

  it("binding beyond loopback without a key names the variable that really sets it", async () => {
    const r = await runCli(["serve", "--model", sharedModels.chat, "--host", "0.0.0.0", "--port", "0"], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("WREN_SERVER_API_KEY");
    expect(r.stderr).not.toMatch(/\bWREN_API_KEY\b/);
  });
});

describe.runIf(hasSharedModels)("wren serve --context", () => {
  it("is named --context in errors, like wren run's, and --context-size still sets it", async () => {
    const env = { WREN_HOME: "/nonexistent-wren-home-for-flags" };
    for (const name of ["--context", "--context-size"]) {
      const r = await runCli(["serve", "--model", sharedModels.chat, name, "abc", "--port", "0"], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--context: expected a number, got the string "abc"');
    }
  });
});
