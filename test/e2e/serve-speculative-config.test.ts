import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerFromConfig } from "../../src/runtime/serve-main.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren serve's speculative decoding config ([[server.models]] draft and speculative)", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-serve-draft-"));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  /** Starts the server as `wren serve` does, with these `[[server.models]]` lines in the user config. */
  async function start(lines: string[]) {
    // TOML literal strings: a Windows path's backslashes stay as they are.
    await writeFile(path.join(home, "config.toml"), ["[[server.models]]", 'id = "stories"', `ref = '${sharedModels.stories}'`, ...lines].join("\n"));
    return startServerFromConfig({ model: [], port: "0", cors: [], sequences: "1", context: "256", offline: true }, { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1" }, pino({ level: "silent" }));
  }

  /** The predictor the served model got once loaded. */
  async function predictorOf(lines: string[]): Promise<string | undefined> {
    const server = await start(lines);
    try {
      (await server.models.acquire("stories")).release();
      return server.engine?.models[0]?.speculativeStats().predictor;
    } finally {
      await server.close();
    }
  }

  it("an unknown draft model fails the start, saying whose draft it was", async () => {
    await expect(start(['draft = "no-such-draft-model"'])).rejects.toMatchObject({
      message: expect.stringContaining("The draft model 'no-such-draft-model' of served model 'stories'") as unknown,
    });
  });

  it("a draft model drafts; speculative = \"off\" predicts nothing; by default prompt lookup", async () => {
    expect(await predictorOf([`draft = '${sharedModels.stories}'`])).toBe("draft");
    expect(await predictorOf(['speculative = "off"'])).toBe("off");
    expect(await predictorOf([])).toBe("lookup");
  });

  it("refuses a speculative setting it does not know, naming the choices", async () => {
    await expect(start(['speculative = "always"'])).rejects.toMatchObject({ message: expect.stringMatching(/speculative[\s\S]*auto[\s\S]*lookup[\s\S]*off/) as unknown });
  });
});
