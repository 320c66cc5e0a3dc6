import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, startWrenPty } from "../helpers/pty-terminal.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModelsDir } from "../helpers/shared-models.js";

/** The ChatML model with a 128k context: the assistant's system prompt and tool list need ~8k tokens. */
const chat128k = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");

describe.runIf(hasSharedModels)("wren's terminal UI with a local model", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-tui-local-"));
    mkdirSync(path.join(root, "project"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("starts with a first prompt, streams the local model's reply, and exits cleanly", { timeout: 180_000 }, async () => {
    // In this process: the daemon path is tested with wren -p in agent-daemon.test.ts.
    await using pty = startWrenPty(["--no-daemon", "Say hello."], {
      cwd: path.join(root, "project"),
      env: { WREN_HOME: path.join(root, "home"), WREN_MODELS_DEFAULT: chat128k, WREN_ENGINE_CONTEXT_SIZE: "16384" },
    });
    await pty.waitFor("> Say hello.");
    await pty.waitFor(`● ${CHAT_MODEL_REPLY}`, { timeoutMs: 150_000 });
    await pty.waitFor("last: local:synthetic-bigram-chatml-128k (local)", { visible: true });
    pty.type("/quit");
    await pty.waitFor("> /quit", { visible: true });
    pty.type(KEYS.enter);
    expect(await pty.exited).toBe(0);
    expect(pty.text()).not.toMatch(/error|✗/i);
  });
});
