import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { processGone, untilGone } from "../../../test/helpers/processes.js";
import { createJob, newJobId, type JobFiles, type JobRecord, type JobState } from "./job-store.js";
import { resumeTraining } from "./job-start.js";
import { cancelTraining, jobStatus, readProgress, refuseWhileAnotherRuns, STALL_AFTER_MS, workerIdentity } from "./job-status.js";

/** A job's record: a command trainer's, its base and dataset in `dir` (never read here). */
function jobRecord(dir: string): JobRecord {
  return {
    id: newJobId(),
    createdAt: new Date().toISOString(),
    base: { ref: "stories", path: path.join(dir, "base.gguf"), architecture: "llama" },
    dataset: path.join(dir, "train.jsonl"),
    name: "stories-lora",
    trainer: { name: "command", command: ["true"], readsGguf: false },
    lora: { rank: 4, alpha: 8, targets: ["attn_q"] },
    train: { steps: 10, learningRate: 0.001, batchSize: 1, checkpointEvery: 5, seed: 0, threads: 1 },
  };
}

/**
 * Whether a job's recorded worker still runs, decided by the process's start recorded with its pid
 * (the mechanism of models/lock-owner.ts): real job folders, real processes standing in for the
 * worker and for a stranger that got its pid.
 */
describe("training job status and cancel: is the recorded pid the job's worker?", () => {
  let dir: string;
  let env: Record<string, string>;
  const processes: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-train-status-"));
    env = { WREN_HOME: path.join(dir, "home") };
  });
  afterEach(async () => {
    const left = processes.splice(0);
    for (const p of left) p.kill("SIGKILL");
    await untilGone(left.flatMap((p) => (p.pid === undefined ? [] : [p.pid])));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A live process that is not wren (it ends on SIGTERM, like a worker). */
  const live = (): number => {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    processes.push(child);
    if (child.pid === undefined) throw new Error("no process");
    return child.pid;
  };
  const job = async (state: Omit<JobState, "updatedAt"> & { updatedAt?: string }): Promise<JobFiles> => {
    const files = await createJob(jobRecord(dir), env);
    await writeFile(files.state, JSON.stringify({ updatedAt: new Date().toISOString(), ...state }));
    return files;
  };
  const alive = (pid: number): boolean => !processGone(pid);

  it("a worker whose recorded start matches its process is running, and cancel stops it with SIGTERM", async () => {
    const worker = live();
    const files = await job({ state: "running", ...workerIdentity(worker) });
    expect((await jobStatus(files)).state).toBe("running");
    const stopped = await cancelTraining({ id: path.basename(files.dir), env });
    expect(stopped.state).toBe("cancelled");
    await untilGone([worker]);
  });

  it("a pid now held by a process that started later is a failed job, and cancel never signals that process", async () => {
    const stranger = live();
    const files = await job({ state: "running", ...workerIdentity(stranger), start: "1:1" });
    const status = await jobStatus(files);
    expect(status.state).toBe("failed");
    expect(status.error).toContain("`wren train run --resume` continues from the last checkpoint");
    await expect(cancelTraining({ id: path.basename(files.dir), env })).rejects.toThrow("is not running (it is failed)");
    expect(alive(stranger)).toBe(true);
  });

  it("a worker gone without a word is failed, and the status names its log and what the log ended with", async () => {
    const stranger = live();
    const files = await job({ state: "running", ...workerIdentity(stranger), start: "1:1" });
    await writeFile(files.log, "step 3/10\nSegmentation fault\n");
    const status = await jobStatus(files);
    expect(status.state).toBe("failed");
    expect(status.error).toContain(files.log);
    expect(status.error).toContain("Segmentation fault");
  });

  it("a worker that records its end and exits while status looks is never reported failed", async () => {
    // The state is read, then the worker's pid checked: a worker that wrote `done` and exited
    // between the two looks was taken for one killed mid-run.
    const seen = new Set<string>();
    for (let round = 0; round < 15; round++) {
      const files = await createJob(jobRecord(dir), env);
      const finish = `const fs = require("node:fs"); process.stdin.once("data", () => { fs.writeFileSync(${JSON.stringify(`${files.state}.tmp`)}, JSON.stringify({ state: "done", updatedAt: new Date().toISOString() })); fs.renameSync(${JSON.stringify(`${files.state}.tmp`)}, ${JSON.stringify(files.state)}); process.exit(0); });`;
      const worker = spawn(process.execPath, ["-e", finish], { stdio: ["pipe", "ignore", "ignore"] });
      processes.push(worker);
      await writeFile(files.state, JSON.stringify({ updatedAt: new Date().toISOString(), state: "running", ...workerIdentity(worker.pid) }));
      worker.stdin.end("go\n");
      for (;;) {
        const status = await jobStatus(files);
        seen.add(status.state);
        if (status.state !== "running") break;
      }
      expect(seen).not.toContain("failed");
    }
    expect(seen).toContain("done");
  });

  it("a state file without the worker's start (an older wren's) stays as recorded, and cancel only asks by file, never by signal", async () => {
    const unknown = live();
    const files = await job({ state: "running", pid: unknown });
    expect((await jobStatus(files)).state).toBe("running");
    await expect(cancelTraining({ id: path.basename(files.dir), env, timeoutMs: 500 })).rejects.toThrow("did not stop in time");
    expect(existsSync(files.cancel)).toBe(true);
    expect(alive(unknown)).toBe(true);
  });

  describe("an older wren's job whose pid a live, unrelated process now holds", () => {
    /** A live process that is not wren nor any worker: `sleep`. */
    const sleeper = (): number => {
      const child = spawn("sleep", ["600"], { stdio: "ignore" });
      processes.push(child);
      if (child.pid === undefined) throw new Error("no process");
      return child.pid;
    };

    it("status says it cannot be confirmed and why; a new job is refused with the way out", async () => {
      const stranger = sleeper();
      const files = await job({ state: "running", pid: stranger });
      const id = path.basename(files.dir);
      const status = await jobStatus(files);
      expect(status.state).toBe("running");
      expect(status.unconfirmed?.pid).toBe(stranger);
      expect(status.unconfirmed?.why).toBe("not-recorded");
      expect(status.unconfirmed?.note).toContain(`pid ${stranger} is alive, but wren cannot show it is this job's worker: an older wren started the job`);
      expect(status.unconfirmed?.note).toContain(`\`wren train cancel --forget ${id}\` marks the job cancelled without signalling anything`);
      await expect(refuseWhileAnotherRuns(env)).rejects.toMatchObject({ hint: expect.stringContaining(`wren train cancel --forget ${id}`) });
      await expect(resumeTraining({ id, env })).rejects.toMatchObject({ hint: expect.stringContaining(`wren train cancel --forget ${id}`) });
      expect(alive(stranger)).toBe(true);
    });

    it("cancel --forget marks it cancelled without signalling the process; a job that can then be resumed", async () => {
      const stranger = sleeper();
      const files = await job({ state: "running", pid: stranger });
      const id = path.basename(files.dir);
      const forgotten = await cancelTraining({ id, env, forget: true });
      expect(forgotten.state).toBe("cancelled");
      expect(forgotten.error).toContain(`pid ${stranger} was not signalled`);
      expect(forgotten.unconfirmed).toBeUndefined();
      expect(existsSync(files.cancel)).toBe(true);
      expect(alive(stranger)).toBe(true);
      expect((await jobStatus(files)).state).toBe("cancelled");
      await expect(refuseWhileAnotherRuns(env)).resolves.toBeUndefined();
    });

    it("a plain cancel that times out names the way out", async () => {
      const stranger = sleeper();
      const files = await job({ state: "running", pid: stranger });
      const id = path.basename(files.dir);
      await expect(cancelTraining({ id, env, timeoutMs: 300 })).rejects.toMatchObject({ hint: expect.stringContaining(`wren train cancel --forget ${id}`) });
      expect(alive(stranger)).toBe(true);
    });

    it("the CLI prints it: status, then cancel --forget", async () => {
      const stranger = sleeper();
      const files = await job({ state: "running", pid: stranger });
      const id = path.basename(files.dir);
      const status = await runCli(["train", "status", id], { env });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain(`Job ${id}: running (not confirmed)`);
      expect(status.stdout).toContain(`  pid ${stranger} is alive, but wren cannot show it is this job's worker`);
      const cancelled = await runCli(["train", "cancel", "--forget", id], { env });
      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(cancelled.stdout).toContain(`Marked job ${id} cancelled without signalling pid ${stranger}`);
      expect(alive(stranger)).toBe(true);
    }, 60_000);
  });

  it("cancel --forget of a job whose worker is shown to be running is refused: a plain cancel stops it", async () => {
    const worker = live();
    const files = await job({ state: "running", ...workerIdentity(worker) });
    await expect(cancelTraining({ id: path.basename(files.dir), env, forget: true })).rejects.toThrow(`its worker (pid ${worker}) is running`);
    expect((await jobStatus(files)).state).toBe("running");
    expect(alive(worker)).toBe(true);
  });

  it("a worker recorded on another host is never signalled", async () => {
    const elsewhere = live();
    const files = await job({ state: "running", ...workerIdentity(elsewhere), host: `not-${os.hostname()}` });
    expect((await jobStatus(files)).state).toBe("running");
    await expect(cancelTraining({ id: path.basename(files.dir), env, timeoutMs: 500 })).rejects.toThrow("did not stop in time");
    expect(alive(elsewhere)).toBe(true);
  });

  describe("a running job that reports nothing for long", () => {
    const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
    const line = (at: string, step: number): string => `${JSON.stringify({ type: "progress", step, totalSteps: 10, loss: 1, tokensPerSecond: 1, etaSeconds: 1, at })}\n`;

    it("says for how long its trainer has been silent, past the threshold", async () => {
      const silentFor = STALL_AFTER_MS + 5 * 60_000;
      const files = await job({ state: "running", ...workerIdentity(live()), updatedAt: ago(silentFor + 60_000) });
      await writeFile(files.progress, line(ago(silentFor + 30_000), 1) + line(ago(silentFor), 2));
      const status = await jobStatus(files);
      expect(status.state).toBe("running");
      expect(status.step).toBe(2);
      expect(status.stalledSeconds).toBeGreaterThanOrEqual(silentFor / 1000);
    });

    it("is not stalled when its last line is recent, or while it has only just started running", async () => {
      const recent = await job({ state: "running", ...workerIdentity(live()), updatedAt: ago(STALL_AFTER_MS * 2) });
      await writeFile(recent.progress, line(ago(STALL_AFTER_MS * 2), 1) + line(new Date().toISOString(), 2));
      expect((await jobStatus(recent)).stalledSeconds).toBeUndefined();
      const fresh = await job({ state: "running", ...workerIdentity(live()) });
      expect((await jobStatus(fresh)).stalledSeconds).toBeUndefined();
    });

    it("a stopped job is never stalled", async () => {
      const files = await job({ state: "cancelled", updatedAt: ago(STALL_AFTER_MS * 2) });
      await writeFile(files.progress, line(ago(STALL_AFTER_MS * 2), 1));
      expect((await jobStatus(files)).stalledSeconds).toBeUndefined();
    });
  });
});

describe("training job progress read while the worker appends to it", () => {
  it("a last line still being written is left for the next look, not an error: wren train status never fails on it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-train-progress-"));
    try {
      const files = await createJob(jobRecord(dir), { WREN_HOME: path.join(dir, "home") });
      const at = new Date().toISOString();
      const first = JSON.stringify({ type: "progress", step: 1, totalSteps: 10, loss: 2.5, tokensPerSecond: 100, etaSeconds: 9, at });
      const second = JSON.stringify({ type: "progress", step: 2, totalSteps: 10, loss: 2.4, tokensPerSecond: 100, etaSeconds: 8, at });
      await writeFile(files.state, JSON.stringify({ updatedAt: at, state: "running" }));
      await writeFile(files.progress, `${first}\n${second.slice(0, 30)}`);
      expect((await readProgress(files)).map((l) => l.type === "progress" && l.step)).toEqual([1]);
      expect((await jobStatus(files)).loss).toBe(2.5);
      await writeFile(files.progress, `${first}\n${second}\n`);
      expect((await readProgress(files)).map((l) => l.type === "progress" && l.step)).toEqual([1, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
