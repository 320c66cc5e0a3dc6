import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { ownerState, processStart, unconfirmedOwner } from "../../models/lock-owner.js";
import { WrenError } from "../../shared/errors.js";
import type { Env } from "../../shared/paths.js";
import { findJob, jobState, listJobIds, logTail, readJob, readState, writeState, type JobFiles, type JobState } from "./job-store.js";
import { trainerLine } from "./trainer.js";

/**
 * Whether the worker `state` records still runs: `gone` when its process has exited or its pid now
 * belongs to a process that started later (or on this host it never recorded its pid); `alive`
 * only when its start, recorded as it began, matches the process's now; `unknown` otherwise (a job
 * of an older wren, a system that does not tell a process's start, another host). Only an `alive`
 * worker is ever signalled: a pid that cannot be shown to be the job's may be another program.
 */
export function workerState(state: Pick<JobState, "pid" | "host" | "start">): "alive" | "gone" | "unknown" {
  const seen = workerCheck(state);
  return typeof seen === "string" ? seen : "unknown";
}

/** Why a live worker pid cannot be shown to be the job's (models/lock-owner.ts's {@link unconfirmedOwner}). */
export type UnconfirmedWhy = NonNullable<ReturnType<typeof unconfirmedOwner>>;

/** {@link workerState}, with why when `unknown`. */
function workerCheck(state: Pick<JobState, "pid" | "host" | "start">): "alive" | "gone" | { why: UnconfirmedWhy; pid: number; host: string } {
  if (state.pid === undefined) return "gone";
  const owner = { pid: state.pid, host: state.host ?? os.hostname(), ...(state.start === undefined ? {} : { start: state.start }) };
  const seen = ownerState(owner);
  if (seen === "gone") return "gone";
  const why = unconfirmedOwner(owner);
  return why === undefined ? "alive" : { why, pid: owner.pid, host: owner.host };
}

/**
 * What to tell a user of an active job whose worker cannot be confirmed: wren never signals that
 * pid, so without `wren train cancel --forget` a job of an older wren whose pid another program got
 * would show as running, and refuse new jobs, for ever.
 */
function unconfirmedNote(id: string, check: { why: UnconfirmedWhy; pid: number; host: string }): string {
  const { pid } = check;
  const forget = `\`wren train cancel --forget ${id}\` marks the job cancelled without signalling anything`;
  switch (check.why) {
    case "not-recorded":
      return `pid ${pid} is alive, but wren cannot show it is this job's worker: an older wren started the job and did not record the worker's process start, so the pid may since belong to another program. If it is not a \`wren train worker\` (\`ps -p ${pid}\`), ${forget}.`;
    case "not-told":
      return `pid ${pid} is alive, but this system does not tell wren when a process started (wren reads that on Linux only), so wren cannot show it is this job's worker. If it is not a \`wren train worker\` (\`ps -p ${pid}\`), ${forget}.`;
    case "elsewhere":
      return `its worker, pid ${pid}, runs on ${check.host}, which wren cannot check from here. If the job no longer runs there, ${forget}.`;
  }
}

/** The fields a worker records about itself in the job's state, for {@link workerState}. */
export function workerIdentity(pid = process.pid): Pick<JobState, "pid" | "host" | "start"> {
  const start = processStart(pid);
  return { pid, host: os.hostname(), ...(start === undefined ? {} : { start }) };
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
  /** Set while running when the trainer has reported nothing for {@link STALL_AFTER_MS} or longer: for how long, in seconds. */
  stalledSeconds?: number;
  /**
   * Set while the job is recorded as active and its worker's pid is alive but cannot be shown to be
   * the job's worker (so wren never signals it): which pid, why, and what the user can do.
   */
  unconfirmed?: { pid: number; why: UnconfirmedWhy; note: string };
}

/**
 * How long a running trainer may report nothing (no start, progress or checkpoint line) before
 * `wren train status` says it may be stuck. Generous: a step of a large model on a CPU, or loading
 * it, takes minutes.
 */
export const STALL_AFTER_MS = 15 * 60_000;

/** Since when the job has had no news: its last recorded line, or when it started running. */
function stalledSeconds(state: JobState, lastAt: string | undefined, now: number): number | undefined {
  const since = Math.max(Date.parse(state.updatedAt), lastAt === undefined ? 0 : Date.parse(lastAt));
  if (!Number.isFinite(since)) return undefined;
  const silent = now - since;
  return silent >= STALL_AFTER_MS ? Math.round(silent / 1000) : undefined;
}

const ACTIVE: ReadonlyArray<JobState["state"]> = ["starting", "preparing", "running", "converting"];

/** How long a worker may take to record that it started (a loaded machine, a cold disk) before it counts as failed. */
const WORKER_START_MS = 5 * 60_000;

const recorded = z.intersection(trainerLine, z.object({ at: z.string() }));

/**
 * The trainer's lines the job recorded, oldest first. The worker appends them as the trainer runs:
 * a line still being written (read before its end) is not one yet, and is left for the next look.
 */
export async function readProgress(files: JobFiles): Promise<Array<z.infer<typeof recorded>>> {
  const text = await readFile(files.progress, "utf8").catch(() => "");
  return text.split("\n").flatMap((line) => {
    if (!line.trim()) return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return [];
    }
    const parsed = recorded.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * A job whose worker died without saying so (killed, crashed, machine restarted) is failed, or
 * cancelled if a cancel was asked; `logEnd`, the last lines of the worker's log, says what it left.
 */
function effectiveState(state: JobState, files: JobFiles, lost: boolean, logEnd: string): Pick<TrainStatus, "state" | "error"> {
  // The worker records its pid as it starts; one that never did leaves "starting" without a pid.
  if (state.state === "starting" && state.pid === undefined && Date.now() - Date.parse(state.updatedAt) > WORKER_START_MS) {
    return { state: "failed", error: `The training worker did not start. See ${files.log}; \`wren train run --resume\` tries again.` };
  }
  if (lost) {
    if (existsSync(files.cancel)) return { state: "cancelled" };
    const left = logEnd ? ` Its log (${files.log}) ends:\n${logEnd}` : ` Its log: ${files.log}.`;
    return { state: "failed", error: `The training worker stopped without finishing (killed, crashed, or the machine restarted); \`wren train run --resume\` continues from the last checkpoint.${left}` };
  }
  return { state: state.state, ...(state.error ? { error: state.error } : {}) };
}

/** Whether `state` records a job still under way whose worker is gone. */
function workerLost(state: JobState): boolean {
  return ACTIVE.includes(state.state) && state.pid !== undefined && workerState(state) === "gone";
}

const launchRecord = jobState.pick({ pid: true, host: true, start: true }).required({ pid: true });

/** A job still "starting" whose worker, as `wren train run` launched it, exited before it recorded itself. */
async function launchLost(files: JobFiles, state: JobState): Promise<boolean> {
  if (state.state !== "starting" || state.pid !== undefined) return false;
  const text = await readFile(files.launch, "utf8").catch(() => undefined);
  if (text === undefined) return false;
  let launched: z.infer<typeof launchRecord>;
  try {
    launched = launchRecord.parse(JSON.parse(text));
  } catch {
    return false;
  }
  return workerState(launched) === "gone";
}

const lostNow = async (files: JobFiles, state: JobState): Promise<boolean> => workerLost(state) || (await launchLost(files, state));

/** The state a job's files record, and whether its worker is gone while it says the job is under way. */
async function settledState(files: JobFiles): Promise<{ state: JobState; lost: boolean }> {
  const state = await readState(files);
  if (!(await lostNow(files, state))) return { state, lost: false };
  // A worker writes its end, then exits: one that did both since the state was read is not lost.
  const again = await readState(files);
  return { state: again, lost: await lostNow(files, again) };
}

export async function jobStatus(files: JobFiles): Promise<TrainStatus> {
  const job = await readJob(files);
  const { state, lost } = await settledState(files);
  const lines = await readProgress(files);
  const last = lines.findLast((l) => l.type === "progress");
  const start = lines.findLast((l) => l.type === "start" || l.type === "resume");
  const checkpoint = lines.findLast((l) => l.type === "checkpoint");
  const stepOf = (l: (typeof lines)[number] | undefined): number => (l && "step" in l ? l.step : 0);
  const effective = effectiveState(state, files, lost, lost ? await logTail(files.log) : "");
  const check = ACTIVE.includes(effective.state) ? workerCheck(state) : "gone";
  const stalled = effective.state === "running" ? stalledSeconds(state, lines.at(-1)?.at, Date.now()) : undefined;
  return {
    id: job.id,
    ...effective,
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
    ...(stalled !== undefined ? { stalledSeconds: stalled } : {}),
    ...(typeof check === "object" ? { unconfirmed: { pid: check.pid, why: check.why, note: unconfirmedNote(job.id, check) } } : {}),
  };
}

/** `wren train status [ID] [--all]`. */
export async function trainStatus(options: { id?: string; all?: boolean; env?: Env } = {}): Promise<TrainStatus[]> {
  const env = options.env ?? process.env;
  if (!options.all) return [await jobStatus(await findJob(options.id, env))];
  const ids = await listJobIds(env);
  return Promise.all(ids.map(async (id) => jobStatus(await findJob(id, env))));
}

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
        hint: status.unconfirmed
          ? `Wren cannot confirm it still runs: ${status.unconfirmed.note}`
          : `Wait for it (\`wren train logs -f ${id}\`), or stop it with \`wren train cancel ${id}\` (\`wren train run --resume ${id}\` continues it later).`,
      });
    }
  }
}

/** `wren train cancel [ID]`: asks the job to stop (its last checkpoint stays) and waits until it has. */
export async function cancelTraining(options: { id?: string; env?: Env; timeoutMs?: number; forget?: boolean } = {}): Promise<TrainStatus> {
  const files = await findJob(options.id, options.env);
  const before = await jobStatus(files);
  if (!ACTIVE.includes(before.state)) {
    throw new WrenError("bad_request", `Training job ${before.id} is not running (it is ${before.state}).`, { hint: before.state === "done" ? `Its adapter is '${before.adapterName}'.` : "Continue it with `wren train run --resume`." });
  }
  // The file stops trainers that poll it (and a worker not yet past preparing); the signal stops the rest.
  await writeFile(files.cancel, new Date().toISOString());
  // Where the worker cannot be shown to be the job's, it sees the file itself (within a second).
  const worker = await readState(files);
  const { pid } = worker;
  if (options.forget) return forgetJob(files, worker);
  if (pid !== undefined && workerState(worker) === "alive") {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  // A minute, or longer where the job gives its trainer a longer grace to stop than that allows.
  const grace = (await readJob(files)).trainer.stopGraceSeconds ?? 10;
  const deadline = Date.now() + (options.timeoutMs ?? Math.max(60_000, grace * 1000 + 50_000));
  for (;;) {
    const now = await jobStatus(files);
    if (!["starting", "preparing", "running", "converting"].includes(now.state)) {
      if (now.state === "cancelled") await writeState(files, { state: "cancelled" });
      return now;
    }
    if (Date.now() > deadline) {
      throw new WrenError("timeout", `Training job ${now.id} did not stop in time.`, {
        hint: now.unconfirmed ? `It was asked to stop by file only: ${now.unconfirmed.note}` : `Its worker is process ${pid ?? "?"}; see ${files.log}.`,
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * `wren train cancel --forget`: marks an active job cancelled without signalling anything, for a
 * worker wren cannot show is the job's (the cancel file, already written, still stops a real one).
 * Refused for a worker shown to be running: a plain cancel stops it.
 */
async function forgetJob(files: JobFiles, worker: JobState): Promise<TrainStatus> {
  const { pid } = worker;
  if (pid !== undefined && workerState(worker) === "alive") {
    throw new WrenError("bad_request", `Training job ${path.basename(files.dir)} is running: its worker (pid ${pid}) is running and is this job's.`, {
      hint: `Stop it with \`wren train cancel ${path.basename(files.dir)}\`.`,
    });
  }
  const untouched = pid === undefined ? "" : `; pid ${pid} was not signalled`;
  await writeState(files, { state: "cancelled", error: `Marked cancelled by \`wren train cancel --forget\`${untouched}.` });
  return jobStatus(files);
}
