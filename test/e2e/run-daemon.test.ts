import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processAlive } from "../../src/models/lock-owner.js";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { untilGone } from "../helpers/processes.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

// Each test runs several CLIs in turn, each waiting up to 90 s (one starts the daemon and loads a
// model): the test's own limit leaves room for all of them on a busy two-core machine.
describe.runIf(hasSharedModels)("wren run --daemon: the daemon started on demand, reused, and restarted once it died", { timeout: 240_000 }, () => {
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-run-daemon-"));
    env = { WREN_HOME: home, WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "512", WREN_SERVER_PORT: "0" };
  });
  /** Every daemon pid seen: killed at the end even when an assertion failed half-way. */
  const seen = new Set<number>();
  afterAll(async () => {
    await runCli(["daemon", "stop"], { env });
    for (const pid of seen) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await rm(home, { recursive: true, force: true });
  });

  const run = (...args: string[]): Promise<CliResult> => runCli(["run", "--daemon", "-t", "0", ...args], { env, timeoutMs: 90_000 });
  const daemonPid = async (): Promise<number | undefined> => {
    const status = await runCli(["daemon", "status", "--json"], { env });
    const pid = (JSON.parse(status.stdout) as { running: boolean; pid?: number }).pid;
    if (pid) seen.add(pid);
    return pid;
  };

  it("starts the daemon with --model, answers through it, reuses it, and revives it after a crash", async () => {
    expect(await daemonPid()).toBeUndefined();

    const first = await run("--model", sharedModels.chat, "hi");
    expect(first.stderr).toMatch(/^\d+ prompt tokens, \d+ completion tokens, time to first token \d+ ms, [\d.]+ tokens\/s\n$/);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${CHAT_MODEL_REPLY}\n`);

    const status = await runCli(["daemon", "status"], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/running[\s\S]*synthetic-bigram-chatml \(loaded\)/);
    const pid = await daemonPid();
    expect(pid).toBeGreaterThan(0);

    const second = await run("--model", sharedModels.chat, "--json", "hi");
    expect(second.code).toBe(0);
    const json = JSON.parse(second.stdout) as { text: string; finishReason: string; usage: { outputTokens: number }; timings: { totalMs: number }; model: { id: string } };
    expect(json).toMatchObject({ text: CHAT_MODEL_REPLY, finishReason: "stop", model: { id: "synthetic-bigram-chatml", mode: "chat" } });
    expect(json.usage.outputTokens).toBeGreaterThan(0);
    expect(await daemonPid()).toBe(pid);

    // Without --model the running daemon's model answers.
    const plain = await run("hi");
    expect(plain.stdout).toBe(`${CHAT_MODEL_REPLY}\n`);
    expect(await daemonPid()).toBe(pid);

    process.kill(pid!, "SIGKILL");
    // Gone (however loaded the machine), rather than a fixed pause that may be too short or too long.
    await untilGone([pid!]);
    const revived = await run("--model", sharedModels.chat, "hi");
    expect(revived.code).toBe(0);
    expect(revived.stdout).toBe(`${CHAT_MODEL_REPLY}\n`);
    const newPid = await daemonPid();
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(pid);
  });

  it("says what to do when the running daemon serves another model or --lora cannot go through it, and continues --raw text", async () => {
    const other = await run("--model", "some-other-model.gguf", "hi");
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('does not serve "some-other-model.gguf" (it serves: synthetic-bigram-chatml');
    expect(other.stderr).toContain("wren daemon stop");

    // A GGUF file it does not serve yet is added to the running daemon, which answers with it.
    const pid = await daemonPid();
    const added = await run("--model", sharedModels.stories, "--max-tokens", "8", "Once upon a time");
    expect(added.stderr).not.toMatch(/wren: /);
    expect(added.code).toBe(0);
    const inProcess = await runCli(["run", "-t", "0", "--max-tokens", "8", "--model", sharedModels.stories, "Once upon a time"], { env, timeoutMs: 90_000 });
    expect(added.stdout).toBe(inProcess.stdout);
    expect(await daemonPid()).toBe(pid);
    const status = JSON.parse((await runCli(["daemon", "status", "--json"], { env })).stdout) as { models?: Array<{ id: string }> };
    expect(status.models?.map((m) => m.id)).toEqual(expect.arrayContaining(["synthetic-bigram-chatml", "stories260K"]));

    // --raw continues the text through the daemon, as it does in this process.
    const raw = await run("--raw", "--max-tokens", "12", "hi");
    expect(raw.code).toBe(0);
    const rawHere = await runCli(["run", "-t", "0", "--raw", "--max-tokens", "12", "--model", sharedModels.chat, "hi"], { env, timeoutMs: 90_000 });
    expect(rawHere.code).toBe(0);
    expect(raw.stdout).toBe(rawHere.stdout);

    const lora = await run("--lora", "adapter.gguf", "hi");
    expect(lora.code).not.toBe(0);
    expect(lora.stderr).toContain("--lora cannot go through the daemon");

    const stopped = await runCli(["daemon", "stop"], { env });
    expect(stopped.stdout).toContain("wren daemon stopped");
    expect(await daemonPid()).toBeUndefined();
  });

  it("gives the same text for the same seed with and without the daemon on a model without a chat template", async () => {
    const args = ["--model", sharedModels.stories, "--seed", "7", "--temperature", "0.8", "--max-tokens", "24", "Once upon a time"];
    const here = await runCli(["run", ...args], { env, timeoutMs: 90_000 });
    expect(here.code).toBe(0);
    expect(here.stdout.trim().split(/\s+/).length).toBeGreaterThan(5);
    const viaDaemon = await runCli(["run", "--daemon", ...args], { env, timeoutMs: 90_000 });
    expect(viaDaemon.code).toBe(0);
    expect(viaDaemon.stdout).toBe(here.stdout);
    expect(await daemonPid()).toBeGreaterThan(0);
    const json = await runCli(["run", "--daemon", "--json", ...args], { env, timeoutMs: 90_000 });
    expect(JSON.parse(json.stdout)).toMatchObject({ text: here.stdout.replace(/\n$/, ""), model: { id: "stories260K", mode: "completion" } });
    // Another seed, another text: the seed reaches the daemon's sampler.
    const other = await runCli(["run", "--daemon", ...args.map((a) => (a === "7" ? "8" : a))], { env, timeoutMs: 90_000 });
    expect(other.stdout).not.toBe(here.stdout);
    await runCli(["daemon", "stop"], { env });
  });

  it("starts a daemon of its own when stale daemon files name an unrelated live process, which it leaves alone", async () => {
    expect(await daemonPid()).toBeUndefined();
    const victim = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const victimPid = victim.pid!;
    try {
      // The recorded control port no longer has a listener, as after the daemon died and its pid was reused.
      const gone = http.createServer();
      await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
      const port = (gone.address() as AddressInfo).port;
      await new Promise<void>((resolve) => gone.close(() => resolve()));
      const files = daemonFiles(path.join(home, "state"));
      await mkdir(path.dirname(files.pid), { recursive: true });
      await writeFile(files.pid, JSON.stringify({ pid: victimPid, token: randomBytes(32).toString("hex"), controlPort: port, startedAt: new Date().toISOString() }));
      await writeFile(files.state, JSON.stringify({ pid: victimPid, url: `http://127.0.0.1:${port}`, startedAt: new Date().toISOString() }));

      const answered = await run("--model", sharedModels.chat, "hi");
      const pid = await daemonPid();
      expect(answered.code).toBe(0);
      expect(answered.stdout).toBe(`${CHAT_MODEL_REPLY}\n`);
      expect(answered.stderr).toMatch(new RegExp(`^wren: removed stale daemon files naming pid ${victimPid}, which could not be confirmed as a wren daemon \\(it was left alone\\)\n\\d+ prompt tokens`));
      expect(pid).toBeGreaterThan(0);
      expect(pid).not.toBe(victimPid);
      expect(processAlive(victimPid)).toBe(true);
      expect(victim.exitCode).toBeNull();

      const stopped = await runCli(["daemon", "stop"], { env });
      expect(stopped.stdout).toBe(`wren daemon stopped (pid ${pid})\n`);
      expect(processAlive(victimPid)).toBe(true);
    } finally {
      victim.kill("SIGKILL");
    }
  });
});
