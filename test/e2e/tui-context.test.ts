import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopDaemon } from "../../src/runtime/daemon.js";
import { chat128k, localModelEnv } from "../helpers/chat-model-128k.js";
import { runCli } from "../helpers/cli.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";
import { startWrenPty } from "../helpers/pty-terminal.js";
import { quitSession, sendPrompt } from "../helpers/tui-workspace.js";

/**
 * The context window the terminal UI reports for a local model with an automatic context (no
 * engine.contextSize set anywhere): the daemon loads it with the largest that fits (131,072 tokens
 * for this model where memory allows), never the 4,096 of the configuration's default.
 */
describe.runIf(hasSharedModels)("the terminal UI's context window of a local model", () => {
  let root: string;
  let env: Record<string, string>;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-tui-context-"));
    const { WREN_ENGINE_CONTEXT_SIZE: _set, ...local } = localModelEnv(root);
    env = { ...local, WREN_ENGINE_GPU: "cpu", WREN_SERVER_PORT: "0", WREN_ROUTER_CLOUD: "never" };
  });
  afterAll(async () => {
    if (env) await stopDaemon({ env: { ...process.env, ...env } }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("/context gives the window the model was loaded with, as the status line does", { timeout: 240_000 }, async () => {
    const project = path.join(root, "project");
    mkdirSync(project, { recursive: true });
    await using pty = startWrenPty([], { cwd: project, env });
    await pty.waitFor("no turn yet");
    await sendPrompt(pty, "Say hello.");
    const status = await pty.waitFor(/last: local:.*\n.*context [\d.]+k\/\d+k/, { visible: true, timeoutMs: 180_000 });
    const shown = /context [\d.]+k\/(\d+)k/.exec(status)?.[1];
    await sendPrompt(pty, "/context");
    const text = await pty.waitFor(/Context: ≈\d+ tokens[^\n]*\n/);
    const window = /Context: ≈\d+ tokens of (\d+) \(\d+% of the window\)/.exec(text.slice(text.lastIndexOf("Context: ≈")))?.[1];
    // The largest context that fits (131,072 where memory allows): the status line's figure, never the default.
    expect(Number(window)).toBeGreaterThan(4096);
    expect(String(Math.round(Number(window) / 1000))).toBe(shown);
    await quitSession(pty);
  });

  it("a model the running daemon adds for the session, and has not loaded when asked its context, shows no window rather than the configured default's", { timeout: 240_000 }, async () => {
    const project = path.join(root, "project");
    mkdirSync(project, { recursive: true });
    // The daemon serves another model; the session's (the 128k one) is added to it, not loaded yet.
    await stopDaemon({ env: { ...process.env, ...env } });
    const started = await runCli(["daemon", "start", "--model", sharedModels.chat], { env, timeoutMs: 120_000 });
    expect(started.code, started.stderr).toBe(0);
    await using pty = startWrenPty(["--model", chat128k], { cwd: project, env });
    await pty.waitFor("no turn yet");
    await sendPrompt(pty, "Say hello.");
    const status = await pty.waitFor(/last: local:.*\n.*context [^\n]*/, { visible: true, timeoutMs: 180_000 });
    // The daemon never said this model's window: no share of engine.contextSize's 4,096 (it was 219%).
    const shown = /context [^\n]*/.exec(status.slice(status.lastIndexOf("last: local:")))![0];
    expect(shown).toMatch(/^context [\d.]+k \(window unknown\)/);
    await quitSession(pty);
  });
});
