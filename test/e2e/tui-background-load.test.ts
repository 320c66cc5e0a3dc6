import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonFiles, readLock } from "../../src/runtime/daemon-state.js";
import { stopDaemon } from "../../src/runtime/daemon.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { localModelEnv } from "../helpers/chat-model-128k.js";
import { hasSharedModels } from "../helpers/shared-models.js";
import { sayHelloLocally } from "../helpers/tui-local-model.js";

/**
 * The terminal UI as a person starts it, twice: the daemon loads the model for the first session
 * and keeps it for the second. Cloud use is `never`, so each first turn waits for the model
 * whenever it is sent (the API-level tests in assistant-background-load.test.ts hold the load at a
 * gate to show the teacher answering meanwhile).
 */
describe.runIf(hasSharedModels)("wren's terminal UI loads its local model through the daemon", () => {
  let root: string;
  let env: Record<string, string>;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-tui-background-"));
    env = {
      ...localModelEnv(root),
      WREN_ENGINE_GPU: "cpu",
      WREN_SERVER_PORT: "0",
      WREN_ROUTER_TEACHERS: JSON.stringify(["openai:gpt-4o-mini"]),
      WREN_ROUTER_CLOUD: "never",
      OPENAI_API_KEY: "sk-test",
    };
  });
  afterAll(async () => {
    if (env) await stopDaemon({ env: { ...process.env, ...env } }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const session = async (): Promise<void> => {
    // The memory line names the daemon, which holds the model.
    const text = await sayHelloLocally(root, [], env, { daemonMemory: true });
    expect(text).not.toMatch(/error|✗|did not load/i);
  };

  it("answers the first session's turn once the daemon has loaded the model, and the second session's without loading it again", { timeout: 300_000 }, async () => {
    const files = daemonFiles(resolvePaths(env).stateDir);
    await session();
    const first = await readLock(files);
    expect(first.kind).toBe("lock");
    await session();
    const second = await readLock(files);
    expect(second.kind === "lock" && first.kind === "lock" && second.lock.pid === first.lock.pid).toBe(true);
    // One daemon, one load, for both sessions.
    expect(readFileSync(files.log, "utf8").match(/model-loaded/g)).toHaveLength(1);
  });
});
