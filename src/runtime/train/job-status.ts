import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { WrenError } from "../../shared/errors.js";
import type { Env } from "../../shared/paths.js";
import { findJob, listJobIds, readJob, readState, writeState, type JobFiles, type JobState } from "./job-store.js";
import { trainerLine } from "./trainer.js";

/** Whether a process with this id is alive (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether `pid` is this job's worker: alive, and where the system says what a process runs (Linux's
 * /proc), running `wren train worker` on this job's folder. A process id is reused after the worker
 * died (a reboot, a long uptime), and another program with it is not the job.
 */
export function isJobWorker(pid: number, dir: string): boolean {
  if (!isAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return true;
  }
  // By the job's id (the folder's name): the same folder may be spelled otherwise (a link, a relative WREN_HOME).
  const args = cmdline.split("\0");
  return args.includes("worker") && args.some((a) => path.basename(a) === path.basename(dir));
}

/** What `wren train status` shows. */
export interface TrainStatus {
  id: string;
  state: JobState["state"];
  base: string;
  dataset: string;
  trainer: string;
  /** Name the adapter is (or will be) registered under. */
  adapterName: string;
  step: number;
  totalSteps: number;
  loss?: number;
  tokensPerSecond?: number;
  etaSeconds?: number;
  /** The step of the last checkpoint, from which `--resume` continues. */
  checkpointStep?: number;
  error?: string;
  adapter?: string;
  dir: string;
}

/** How long a worker may take to record that it started (a loaded machine, a cold disk) before it counts as failed. */
const WORKER_START_MS = 5 * 60_000;

const recorded = z.intersection(trainerLine, z.object({ at: z.string() }));

/** The trainer's lines the job recorded, oldest first. */
export async function readProgress(files: JobFiles): Promise<Array<z.infer<typeof recorded>>> {
  const text = await readFile(files.progress, "utf8").catch(() => "");
  return text.split("\n").flatMap((line) => {
    if (!line.trim()) return [];
    const parsed = recorded.safeParse(JSON.parse(line));
    return parsed.success ? [parsed.data] : [];
  });
}

/** A job whose worker died without saying so (killed, machine restarted) is failed, or cancelled if a cancel was asked. */
function effectiveState(state: JobState, files: JobFiles): Pick<TrainStatus, "state" | "error"> {
  const active = state.state === "starting" || state.state === "preparing" || state.state === "running" || state.state === "converting";
  // The worker records its pid as it starts; one that never did leaves "starting" without a pid.
  if (state.state === "starting" && state.pid === undefined && Date.now() - Date.parse(state.updatedAt) > WORKER_START_MS) {
    return { state: "failed", error: `The training worker did not start. See ${files.log}; \`wren train run --resume\` tries again.` };
  }
  if (active && state.pid !== undefined && !isJobWorker(state.pid, files.dir)) {
    if (existsSync(files.cancel)) return { state: "cancelled" };
    return { state: "failed", error: "The training worker stopped without finishing (killed, or the machine restarted). `wren train run --resume` continues from the last checkpoint." };
  }
  return { state: state.state, ...(state.error ? { error: state.error } : {}) };
}

export async function jobStatus(files: JobFiles): Promise<TrainStatus> {
  const job = await readJob(files);
  const state = await readState(files);
  const lines = await readProgress(files);
  const last = lines.findLast((l) => l.type === "progress");
  const start = lines.findLast((l) => l.type === "start" || l.type === "resume");
  const checkpoint = lines.findLast((l) => l.type === "checkpoint");
  const stepOf = (l: (typeof lines)[number] | undefined): number => (l && "step" in l ? l.step : 0);
  return {
    id: job.id,
    ...effectiveState(state, files),
    base: job.base.ref,
    dataset: job.dataset,
    trainer: job.trainer.name,
    adapterName: job.name,
    step: Math.max(stepOf(last), stepOf(start)),
    totalSteps: job.train.steps,
    ...(last?.type === "progress" ? { loss: last.loss, tokensPerSecond: last.tokensPerSecond, etaSeconds: last.etaSeconds } : {}),
    ...(checkpoint?.type === "checkpoint" ? { checkpointStep: checkpoint.step } : {}),
    ...(state.adapter ? { adapter: state.adapter.path } : {}),
    dir: files.dir,
  };
}

/** `wren train status [ID] [--all]`. */
export async function trainStatus(options: { id?: string; all?: boolean; env?: Env } = {}): Promise<TrainStatus[]> {
  const env = options.env ?? process.env;
  if (!options.all) return [await jobStatus(await findJob(options.id, env))];
  const ids = await listJobIds(env);
  return Promise.all(ids.map(async (id) => jobStatus(await findJob(id, env))));
}

const ACTIVE: ReadonlyArray<JobState["state"]> = ["starting", "preparing", "running", "converting"];

/**
 * Refuses to start a job while another runs: two trainers at once would each take the cores
 * meant for serving, and neither would finish sooner.
 */
export async function refuseWhileAnotherRuns(env: Env, except?: string): Promise<void> {
  for (const id of (await listJobIds(env)).reverse()) {
    if (id === except) continue;
    const status = await jobStatus(await findJob(id, env)).catch(() => undefined);
    if (status && ACTIVE.includes(status.state)) {
      throw new WrenError("bad_request", `Training job ${id} is running (${status.state}, step ${status.step}/${status.totalSteps}); wren trains one adapter at a time.`, {
        hint: `Wait for it (\`wren train logs -f ${id}\`), or stop it with \`wren train cancel ${id}\` (\`wren train run --resume ${id}\` continues it later).`,
      });
    }
  }
}

/** `wren train cancel [ID]`: asks the job to stop (its last checkpoint stays) and waits until it has. */
export async function cancelTraining(options: { id?: string; env?: Env; timeoutMs?: number } = {}): Promise<TrainStatus> {
  const files = await findJob(options.id, options.env);
  const before = await jobStatus(files);
  if (!["starting", "preparing", "running", "converting"].includes(before.state)) {
    throw new WrenError("bad_request", `Training job ${before.id} is not running (it is ${before.state}).`, { hint: before.state === "done" ? `Its adapter is '${before.adapterName}'.` : "Continue it with `wren train run --resume`." });
  }
  // The file stops trainers that poll it (and a worker not yet past preparing); the signal stops the rest.
  await writeFile(files.cancel, new Date().toISOString());
  const { pid } = await readState(files);
  if (pid !== undefined && isJobWorker(pid, files.dir)) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const now = await jobStatus(files);
    if (!["starting", "preparing", "running", "converting"].includes(now.state)) {
      if (now.state === "cancelled") await writeState(files, { state: "cancelled" });
      return now;
    }
    if (Date.now() > deadline) throw new WrenError("timeout", `Training job ${now.id} did not stop in time.`, { hint: `Its worker is process ${pid ?? "?"}; see ${files.log}.` });
    await new Promise((r) => setTimeout(r, 200));
  }
}
