import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { daemonFiles, readLock } from "../../src/runtime/daemon-state.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { runCli, spawnCli, type CliResult } from "../helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModelsDir } from "../helpers/shared-models.js";

/** The ChatML model with a 128k context: the assistant's system prompt and tool list need ~8k tokens. */
const chat128k = path.join(sharedModelsDir, "synthetic-bigram-chatml-128k.gguf");

/**
 * One WREN_HOME per test group, and every daemon it had killed at the end, even after a failed
 * assertion. Made in beforeAll: a skipped group leaves no folder behind.
 */
function daemonHome(prefix: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const project = path.join(root, "project");
  mkdirSync(project);
  const home = path.join(root, "home");
  const files = daemonFiles(resolvePaths({ WREN_HOME: home }).stateDir);
  const seen = new Set<number>();
  const pid = async (): Promise<number | undefined> => {
    const found = await readLock(files);
    if (found.kind !== "lock") return undefined;
    seen.add(found.lock.pid);
    return found.lock.pid;
  };
  const stopAll = async (env: Record<string, string>): Promise<void> => {
    await runCli(["daemon", "stop"], { env });
    for (const p of seen) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        // already gone
      }
    }
    seen.clear();
  };
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  return { project, home, files, pid, stopAll, remove };
}

/** Each test starts daemons and runs the CLI several times: generous under a loaded 2-core CI. */
const SLOW = 180_000;

interface PrintJson {
  result: string;
  session_id: string;
  stop_reason: string;
  provenance: Array<Record<string, unknown>>;
}

describe.runIf(hasSharedModels)("wren -p through the daemon with a local model", () => {
  let box: ReturnType<typeof daemonHome>;
  let env: Record<string, string>;
  beforeAll(() => {
    box = daemonHome("wren-agent-daemon-");
    env = { WREN_HOME: box.home, WREN_MODELS_DEFAULT: chat128k, WREN_ENGINE_CONTEXT_SIZE: "16384", WREN_ENGINE_GPU: "cpu", WREN_SERVER_PORT: "0" };
  });
  afterAll(async () => {
    await box.stopAll(env);
    box.remove();
  });

  const print = (...args: string[]): Promise<CliResult> => runCli(["-p", "--output-format", "json", ...args, "Say hello."], { cwd: box.project, env, timeoutMs: 120_000 });

  it("starts the daemon on demand, keeps the model loaded for the next run, and lists both sessions", async () => {
    expect(await box.pid()).toBeUndefined();
    const first = await print();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const one = JSON.parse(first.stdout) as PrintJson;
    expect(one).toMatchObject({ result: CHAT_MODEL_REPLY, stop_reason: "done" });
    // Answered by the daemon's model, as the daemon reported it.
    expect(one.provenance).toEqual([{ turn: 1, provider: "local", model: "synthetic-bigram-chatml-128k", reason: "direct", route: "direct" }]);
    const pid = await box.pid();
    expect(pid).toBeGreaterThan(0);

    const second = await print();
    expect(second.code).toBe(0);
    const two = JSON.parse(second.stdout) as PrintJson;
    expect(two.result).toBe(CHAT_MODEL_REPLY);
    expect(two.session_id).not.toBe(one.session_id);
    expect(await box.pid()).toBe(pid);
    expect(readFileSync(box.files.log, "utf8").match(/"model-loaded"/g)).toHaveLength(1);

    const status = await runCli(["daemon", "status", "--json"], { env });
    const body = JSON.parse(status.stdout) as { pid: number; sessions: Array<{ id: string; cwd: string; requests: number }> };
    expect(body.pid).toBe(pid);
    expect(body.sessions.map((s) => s.id).sort()).toEqual([one.session_id, two.session_id].sort());
    expect(body.sessions.every((s) => s.cwd === box.project && s.requests === 1)).toBe(true);
    const text = await runCli(["daemon", "status"], { env });
    expect(text.stdout).toContain("sessions  2 in the last 15 minutes");
    expect(text.stdout).toContain(`    ${one.session_id}  1 request, last `);
  }, SLOW);

  it("--no-daemon loads the model in this process and leaves the daemon alone", async () => {
    const pid = await box.pid();
    const r = await print("--no-daemon");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PrintJson;
    expect(out.provenance).toEqual([{ turn: 1, provider: "local", model: "synthetic-bigram-chatml-128k", reason: "local", route: "default" }]);
    const status = JSON.parse((await runCli(["daemon", "status", "--json"], { env })).stdout) as { pid: number; sessions: Array<{ id: string }> };
    expect(status.pid).toBe(pid);
    expect(status.sessions.map((s) => s.id)).not.toContain(out.session_id);
  }, SLOW);
});

describe("wren -p --daemon: a daemon killed while a turn waits is restarted and the turn retried once", () => {
  let teacher: ScriptedTeacher | undefined;
  let box: ReturnType<typeof daemonHome>;
  beforeAll(() => {
    box = daemonHome("wren-agent-daemon-kill-");
  });
  // The daemon answers with a scripted teacher (proxy-only), so a turn can be held open at will.
  const env = (t: ScriptedTeacher) => ({
    WREN_HOME: box.home,
    WREN_MODELS_DEFAULT: "",
    WREN_SERVER_PORT: "0",
    WREN_ROUTER_PROXY_ONLY: "1",
    WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini",
    WREN_ROUTER_CLOUD: "allow",
    WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: t.url, cloud: true } }),
    OPENAI_API_KEY: "sk-test",
  });
  afterEach(async () => {
    if (teacher) await box.stopAll(env(teacher));
    await teacher?.close();
    teacher = undefined;
  });
  afterAll(() => box.remove());

  /** Starts `wren -p --daemon`, and kills the daemon with SIGKILL each time the teacher holds request n (1-based) in `kills`. */
  async function runKilling(kills: number[]): Promise<CliResult> {
    const t = teacher!;
    const child = spawnCli(["-p", "--daemon", "--output-format", "json", "Say hello."], { cwd: box.project, env: env(t) });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = new Promise<CliResult>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    try {
      for (const n of kills) {
        await t.waitForRequests(n);
        const pid = await box.pid();
        expect(pid).toBeGreaterThan(0);
        process.kill(pid!, "SIGKILL");
      }
      return await closed;
    } finally {
      child.kill("SIGKILL");
    }
  }

  it("completes the turn on a new daemon after the first one is killed mid-turn", async () => {
    teacher = await startScriptedTeacher([{ hang: true }, { text: "Back again." }]);
    const first = await box.pid();
    expect(first).toBeUndefined();
    const r = await runKilling([1]);
    // The killed daemon's files were left behind: removing them is all stderr says (stdout stays the JSON answer).
    expect(r.stderr).toMatch(/^wren: removed stale daemon files naming pid \d+: that wren daemon had exited and left them behind\n$/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PrintJson;
    expect(out).toMatchObject({ result: "Back again.", stop_reason: "done" });
    expect(out.provenance).toEqual([expect.objectContaining({ turn: 1, provider: "openai", model: "gpt-4o-mini" })]);
    expect(teacher.requests).toHaveLength(2);
  }, SLOW);

  it("fails the run with a clear error when the restarted daemon is killed too", async () => {
    teacher = await startScriptedTeacher([{ hang: true }, { hang: true }]);
    const r = await runKilling([1, 2]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/The wren daemon stopped answering again \(pid \d+\), after it was restarted for this turn/);
    expect(r.stderr).toMatch(/wren daemon logs/);
    expect(teacher.requests).toHaveLength(2);
  }, SLOW);
});
