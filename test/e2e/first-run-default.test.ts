import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** A port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The first `npx wren serve` (or `run`) with no model: wren says what it is about to download, and
 * how big it is, before it touches the network, and fails with the way out when it cannot.
 */
describe("first run with no model configured", () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-first-run-"));
    env = { WREN_HOME: home, HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, WREN_ENGINE_GPU: "cpu" };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  for (const args of [["serve", "--port", "0"], ["run", "Hello"]]) {
    it(`wren ${args[0]}: names the model and its size first, then the failure and what to do`, async () => {
      const r = await runCli(args, { env });
      expect(r.code).not.toBe(0);
      const lines = r.stderr.trim().split("\n");
      expect(lines[0]).toMatch(/^wren: no model is configured, so wren is downloading its default for this machine: \S+ \(\S+, about [\d.]+ [MG]B\)\. Picked as it fits in .*, about \d+ tokens\/s here\. Pass --model PATH/);
      const failure = lines.findIndex((l) => l.includes("is not here and could not be fetched"));
      expect(failure).toBeGreaterThan(0);
      expect(lines[failure]).toContain("Pass --model PATH");
    });
  }

  it("offline: no download announced, just what to do", async () => {
    const r = await runCli(["serve", "--offline", "--port", "0"], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain("downloading");
    expect(r.stderr).toMatch(/^wren: wren's default model \(\S+\) is not here.*offline.*Pass --model PATH/);
  });
});
