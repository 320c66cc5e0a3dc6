import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonFiles, readLock } from "../../src/runtime/daemon-state.js";
import { stopDaemon } from "../../src/runtime/daemon.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { KEYS, startWrenPty } from "../helpers/pty-terminal.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModelsDir } from "../helpers/shared-models.js";

/** The ChatML model with a 128k context: the assistant's system prompt and tool list need ~8k tokens. */
const chat128k = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");

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
    mkdirSync(path.join(root, "project"));
    env = {
      WREN_HOME: path.join(root, "home"),
      WREN_MODELS_DEFAULT: chat128k,
      WREN_ENGINE_CONTEXT_SIZE: "16384",
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
    await using pty = startWrenPty(["Say hello."], { cwd: path.join(root, "project"), env });
    await pty.waitFor("> Say hello.");
    await pty.waitFor(`● ${CHAT_MODEL_REPLY}`, { timeoutMs: 150_000 });
    await pty.waitFor("last: local:synthetic-bigram-chatml-128k (local)", { visible: true });
    pty.type("/quit");
    await pty.waitFor("> /quit", { visible: true });
    pty.type(KEYS.enter);
    expect(await pty.exited).toBe(0);
    expect(pty.text()).not.toMatch(/error|✗|did not load/i);
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
