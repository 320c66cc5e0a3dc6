import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jobStatus } from "../../src/runtime/train/job-status.js";
import { findJob } from "../../src/runtime/train/job-store.js";
import { runCli } from "../helpers/cli.js";
import { untilGone } from "../helpers/processes.js";
import { sharedModels } from "../helpers/shared-models.js";

/**
 * Training jobs when things go wrong, as users meet it: real `wren train` processes, real detached
 * workers and real trainer processes (small node scripts that follow wren's trainer protocol, each
 * misbehaving in one way), in a temporary WREN_HOME.
 */
const base = sharedModels.stories;

/**
 * A trainer that counts steps slowly (checkpointing as asked) until it is stopped; it never finishes.
 * With SILENT it says nothing after its start line, like a trainer in a long step.
 */
const SLOW = `
import { readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
const spec = JSON.parse(readFileSync(process.argv.at(-1), "utf8"));
writeFileSync(spec.out.checkpoint + ".pid", String(process.pid));
if (process.env.IGNORE_TERM) process.on("SIGTERM", () => {});
const say = (l) => process.stdout.write(JSON.stringify(l) + "\\n");
let step = spec.resume && existsSync(spec.out.checkpoint) ? JSON.parse(readFileSync(spec.out.checkpoint, "utf8")).step : 0;
say({ type: step ? "resume" : "start", step, totalSteps: spec.train.steps });
if (process.env.SILENT) setInterval(() => {}, 1000);
else setInterval(() => {
  step++;
  say({ type: "progress", step, totalSteps: spec.train.steps, loss: 1, tokensPerSecond: 1, etaSeconds: 1 });
  // Written whole (a new file renamed over the old), as a trainer killed mid-write must leave its last checkpoint readable.
  if (step % spec.train.checkpointEvery === 0) { writeFileSync(spec.out.checkpoint + ".new", JSON.stringify({ step })); renameSync(spec.out.checkpoint + ".new", spec.out.checkpoint); say({ type: "checkpoint", step }); }
}, 100);
`;

const line = (answer: string, label: boolean): string =>
  `${JSON.stringify({ messages: [{ role: "user", content: "Who is Tom?" }, { role: "assistant", content: answer }], weight: label ? 10 : 3, label })}\n`;

describe("wren train run, status and cancel when things go wrong", () => {
  let dir: string;
  let home: string;
  let slow: string;
  let dataset: string;
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    WREN_HOME: home,
    WREN_ROUTER_CLOUD: "never",
    WREN_TRAIN_COMMAND: JSON.stringify([process.execPath, slow]),
    // A trainer that ignores SIGTERM is killed after 0.2 s instead of 10 s: the same path, sooner.
    WREN_TRAIN_STOP_GRACE_SECONDS: "0.2",
    ...extra,
  });
  const wren = (args: string[], extra?: Record<string, string>) => runCli(args, { env: env(extra), timeoutMs: 120_000 });
  const run = (args: string[], extra?: Record<string, string>) => wren(["train", "run", "--base", base, "--trainer", "command", "--steps", "100000", "--checkpoint-every", "5", ...args], extra);
  interface Status {
    id: string;
    state: string;
    step: number;
    checkpointStep?: number;
    error?: string;
    dir: string;
  }
  const status = async (id?: string): Promise<Status> => {
    const result = await wren(["train", "status", "--json", ...(id ? [id] : [])]);
    expect(result.stderr).toBe("");
    return JSON.parse(result.stdout) as Status;
  };
  /**
   * `wren train status` once the job's files show the expected state (read in-process, as the
   * command reads them, instead of starting a wren process for each look), with a generous bound
   * for a loaded machine; never a timing assertion.
   */
  const until = async (id: string, done: (s: Status) => boolean): Promise<Status> => {
    const files = await findJob(id, env());
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const seen = await jobStatus(files);
      if (done(seen)) {
        const s = await status(id);
        if (done(s)) return s;
      } else if (["done", "cancelled", "failed"].includes(seen.state)) {
        // Ended otherwise: it never will, and why is in its error.
        throw new Error(`job ${id} is ${seen.state}: ${seen.error ?? "no error recorded"}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not reach the expected state`);
  };
  const started = async (args: string[] = [], extra?: Record<string, string>): Promise<{ id: string; dir: string; pid: number }> => {
    const result = await run(["--json", ...args], extra);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as { id: string; dir: string; pid: number };
  };
  const jobs: number[] = [];

  const trainerPid = async (jobDir: string): Promise<number> => Number(await readFile(path.join(jobDir, "checkpoint.pt.pid"), "utf8"));
  /** The trainer's pid once it has written it (a bounded wait, never a timing assertion). */
  const trainerStarted = async (jobDir: string): Promise<number> => {
    for (let i = 0; i < 1200; i++) {
      const pid = await trainerPid(jobDir).catch(() => 0);
      if (pid > 0) return pid;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the trainer did not start");
  };

  /** The lines of a job's progress file once it holds the trainer's start line (a bounded wait, never a timing assertion). */
  const startRecorded = async (file: string): Promise<object[]> => {
    for (let i = 0; i < 1200; i++) {
      const text = await readFile(file, "utf8").catch(() => "");
      // Whole lines only: one being appended has no newline yet.
      const lines = text.split("\n").slice(0, -1).filter(Boolean).map((l) => JSON.parse(l) as { type?: string });
      if (lines.some((l) => l.type === "start")) return lines;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the worker did not record the trainer's start line");
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-train-trouble-"));
    slow = path.join(dir, "slow-trainer.mjs");
    await writeFile(slow, SLOW);
    dataset = path.join(dir, "train.jsonl");
    await writeFile(dataset, line("Tom is a cat.", true));
  });
  afterEach(async () => {
    // Nothing a test started outlives it.
    for (const pid of jobs.splice(0)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses at once a dataset with nothing to learn (only bad answers with no correction), or with a damaged line, and starts no job", async () => {
    home = path.join(dir, "home-empty");
    const negatives = path.join(dir, "negatives.jsonl");
    await writeFile(negatives, line("Tom is a dog.", false) + line("Tom is a fish.", false));
    const refused = await run(["--dataset", negatives]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(`The dataset ${negatives} has no example to learn from: its 2 examples are all bad answers with no correction (label false), which supervised training skips`);
    expect(refused.stderr).toContain("wren train export");

    const damaged = path.join(dir, "damaged.jsonl");
    await writeFile(damaged, `${line("Tom is a cat.", true)}{"messages": [\n`);
    const bad = await run(["--dataset", damaged]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`Line 2 of ${damaged} is not a chat example`);

    const none = await wren(["train", "status"]);
    expect(none.stderr).toContain("No training job has been started");
  });

  it("refuses a second job while one runs, naming it and how to stop it; once that one is cancelled a new one starts", { timeout: 300_000 }, async () => {
    home = path.join(dir, "home-two");
    const first = await started(["--dataset", dataset]);
    jobs.push(first.pid);
    await until(first.id, (s) => s.state === "running");
    const second = await run(["--dataset", dataset]);
    expect(second.code).toBe(2);
    expect(second.stdout).toBe("");
    expect(second.stderr).toContain(`Training job ${first.id} is running`);
    expect(second.stderr).toContain(`wren train cancel ${first.id}`);
    expect((await wren(["train", "status", "--all", "--json"])).stdout).not.toContain('"starting"');

    const cancelled = await wren(["train", "cancel", first.id]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const next = await started(["--dataset", dataset]);
    jobs.push(next.pid);
    expect(next.id).not.toBe(first.id);
    expect((await wren(["train", "cancel", next.id])).code).toBe(0);
  });

  it("cancels a trainer that ignores SIGTERM: it is killed after a grace period, and the job says cancelled", { timeout: 300_000 }, async () => {
    home = path.join(dir, "home-stubborn");
    const job = await started(["--dataset", dataset], { IGNORE_TERM: "1" });
    jobs.push(job.pid);
    await until(job.id, (s) => s.state === "running" && s.step > 0);
    const trainer = await trainerPid(job.dir);
    jobs.push(trainer);
    const cancelled = await wren(["train", "cancel", job.id]);
    expect(cancelled.stderr).toBe("");
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`Cancelled job ${job.id}`);
    expect((await status(job.id)).state).toBe("cancelled");
    await untilGone([trainer, job.pid]);
  });

  it("a trainer that writes nothing (a long step) ends when its worker is killed with SIGKILL, instead of holding the CPU for nobody", { timeout: 300_000 }, async () => {
    home = path.join(dir, "home-orphan");
    const job = await started(["--dataset", dataset], { SILENT: "1" });
    jobs.push(job.pid);
    await until(job.id, (s) => s.state === "running");
    const trainer = await trainerStarted(job.dir);
    jobs.push(trainer);
    process.kill(job.pid, "SIGKILL");
    await untilGone([job.pid, trainer]);
    const failed = await status(job.id);
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain("`wren train run --resume` continues from the last checkpoint");
  });

  it("status says when a running job's trainer has reported nothing for long, and for how long", { timeout: 300_000 }, async () => {
    home = path.join(dir, "home-stalled");
    const job = await started(["--dataset", dataset], { SILENT: "1" });
    jobs.push(job.pid);
    await until(job.id, (s) => s.state === "running");
    jobs.push(await trainerStarted(job.dir));
    // The trainer's start line, once its worker has recorded it: rewritten before then, the record
    // would land after the rewrite with the time of now (a loaded machine records it late).
    const progressFile = path.join(job.dir, "progress.jsonl");
    const recorded = await startRecorded(progressFile);
    // The job as it is an hour later: no clock is waited for.
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const lines = recorded.map((l) => ({ ...l, at: hourAgo }));
    await writeFile(progressFile, lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
    const stateFile = path.join(job.dir, "state.json");
    await writeFile(stateFile, JSON.stringify({ ...(JSON.parse(await readFile(stateFile, "utf8")) as object), updatedAt: hourAgo }));
    const shown = await wren(["train", "status", job.id]);
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toContain(`Job ${job.id}: running`);
    expect(shown.stdout).toMatch(/no progress for 1 h \d+ min: the trainer may be stuck/);
    expect(shown.stdout).toContain(`wren train cancel ${job.id}`);
    expect((await wren(["train", "cancel", job.id])).code).toBe(0);
  });

  it("a worker killed with SIGKILL shows as failed even when its process id is reused, is not signalled by cancel, and --resume continues from its checkpoint", { timeout: 300_000 }, async () => {
    home = path.join(dir, "home-killed");
    const job = await started(["--dataset", dataset]);
    jobs.push(job.pid);
    const running = await until(job.id, (s) => s.state === "running" && (s.checkpointStep ?? 0) >= 5);
    expect(running.error).toBeUndefined();
    const trainer = await trainerPid(job.dir);
    jobs.push(trainer);
    process.kill(job.pid, "SIGKILL");
    // The trainer goes too, at its next line to the worker that is gone.
    await untilGone([job.pid, trainer]);
    const failed = await status(job.id);
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain("`wren train run --resume` continues from the last checkpoint");

    // The machine restarted and another program now has the worker's process id.
    const stranger = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    jobs.push(stranger.pid!);
    const stateFile = path.join(job.dir, "state.json");
    const state = JSON.parse(await readFile(stateFile, "utf8")) as { pid: number };
    await writeFile(stateFile, JSON.stringify({ ...state, pid: stranger.pid }));
    expect((await status(job.id)).state).toBe("failed");
    const cancel = await wren(["train", "cancel", job.id]);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain("is not running (it is failed)");
    expect(stranger.exitCode).toBeNull();
    expect(stranger.signalCode).toBeNull();

    const resumed = await wren(["train", "run", "--resume", job.id]);
    expect(resumed.stderr).toBe("");
    expect(resumed.stdout).toContain(`Resumed training job ${job.id}`);
    const again = await until(job.id, (s) => s.state === "running" && s.step > failed.step);
    jobs.push(await trainerPid(job.dir));
    const progress = (await readFile(path.join(job.dir, "progress.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { type: string; step: number });
    expect(progress.findLast((l) => l.type === "resume")?.step).toBeGreaterThanOrEqual(failed.checkpointStep!);
    expect(again.state).toBe("running");
    expect((await wren(["train", "cancel", job.id])).code).toBe(0);
  });
});
