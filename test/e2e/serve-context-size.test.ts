import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerFromConfig } from "../../src/runtime/serve-main.js";
import { spawnCli } from "../helpers/cli.js";
import { sharedModelsDir } from "../helpers/shared-models.js";

const long = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");
const id = "synthetic-bigram-chatml-128k";

describe.runIf(existsSync(long))("wren serve's context size: set anywhere, it is used; set nowhere, the largest that fits", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-serve-context-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  /** The context the served model got, under these flags and this environment. */
  async function contextOf(flags: { context?: string }, env: Record<string, string>): Promise<number | undefined> {
    const server = await startServerFromConfig(
      { model: [long], port: "0", cors: [], sequences: "1", ...flags },
      { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", ...env },
      pino({ level: "silent" }),
    );
    try {
      (await server.models.acquire(id)).release();
      return server.models.resolve(id)?.contextLength;
    } finally {
      await server.close();
    }
  }

  it("uses --context or WREN_ENGINE_CONTEXT_SIZE as given, and the training context when neither is set", async () => {
    expect(await contextOf({ context: "2048" }, {})).toBe(2048);
    expect(await contextOf({}, { WREN_ENGINE_CONTEXT_SIZE: "1024" })).toBe(1024);
    expect(await contextOf({}, {})).toBe(131072);
  });

  it("says at start what context each request gets and how to change it", async () => {
    const child = spawnCli(["serve", "--model", long, "--port", "0", "--sequences", "1"], { env: { WREN_HOME: home, WREN_ENGINE_GPU: "cpu" } });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const line = await new Promise<string>((resolve, reject) => {
      let err = "";
      child.stderr?.setEncoding("utf8").on("data", (d: string) => {
        err += d;
        const m = /^wren: synthetic-bigram-chatml-128k gives each request .*$/m.exec(err);
        if (m) resolve(m[0]);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(line).toBe(
      "wren: synthetic-bigram-chatml-128k gives each request a context of 131072 tokens (the largest that fits this machine, up to what the model was trained for; --context N sets another)",
    );
  });
});
