import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { KEYS, startWrenPty } from "./pty-terminal.js";
import { CHAT_128K_ID } from "./chat-model-128k.js";
import { CHAT_MODEL_REPLY } from "./shared-models.js";

/**
 * `wren ARGS "Say hello."` in a pseudo-terminal in `root/project`, as a person starts the terminal
 * UI with a first prompt: waits for the local model's reply and its status line (with
 * `daemonMemory`, also for the memory line naming the daemon's resident memory), quits with
 * `/quit` and expects exit 0. Resolves with everything the session showed.
 */
export async function sayHelloLocally(root: string, args: string[], env: Record<string, string>, { daemonMemory = false } = {}): Promise<string> {
  const project = path.join(root, "project");
  mkdirSync(project, { recursive: true });
  await using pty = startWrenPty([...args, "Say hello."], { cwd: project, env });
  await pty.waitFor("> Say hello.");
  await pty.waitFor(`● ${CHAT_MODEL_REPLY}`, { timeoutMs: 150_000 });
  await pty.waitFor(`last: local:${CHAT_128K_ID} (local)`, { visible: true });
  if (daemonMemory) await pty.waitFor(/^(memory|⚠ memory low): .* · daemon [\d.]+ [MG]iB/m, { visible: true });
  pty.type("/quit");
  await pty.waitFor("> /quit", { visible: true });
  pty.type(KEYS.enter);
  expect(await pty.exited).toBe(0);
  return pty.text();
}
