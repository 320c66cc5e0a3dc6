import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../config/index.js";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { withFileLock } from "../../models/file-lock.js";
import { readGgufIdentity, readTrainableBase } from "../../models/gguf-tensors.js";
import { WrenError } from "../../shared/errors.js";
import { resolvePaths, type Env } from "../../shared/paths.js";
import { adapterNameFrom, adapterRegistryPath, checkAdapterName, listAdapters } from "../adapters.js";
import { loadModelsContext, resolveModelForUser } from "../models.js";
import { trainableExamples } from "./dataset-read.js";
import { createJob, findJob, jobsRoot, newJobId, readJob, readState, writeState, type JobFiles, type JobRecord } from "./job-store.js";
import { jobStatus, refuseWhileAnotherRuns, workerIdentity, workerState } from "./job-status.js";
import { selectTrainer, type TrainerChoice } from "./trainers.js";

/** Options of `wren train run`. */
export interface TrainRunOptions {
  /** Base model reference (name, alias, path). Default: `models.default`. */
  base?: string;
  /** Chat-format JSONL. Default: `train/dataset/train.jsonl` in wren's data directory (`wren train export`'s). */
  dataset?: string;
  /** Name the adapter is registered under. Default: the base's file name and the job id. */
  name?: string;
  /** Default: `train.trainer`. */
  trainer?: TrainerChoice;
  /** The base's original weights (Hugging Face repo id or folder), for trainers that need them. */
  baseWeights?: string;
  /** Optimizer steps. Default 60. */
  steps?: number;
  /** LoRA rank. Default 8. */
  rank?: number;
  /** LoRA alpha: the update is scaled by alpha / rank. Default 2 × rank. */
  alpha?: number;
  /** AdamW learning rate. Default 1e-3. */
  learningRate?: number;
  /** Examples per step. Default 4. */
  batchSize?: number;
  /** Steps between checkpoints. Default 20. */
  checkpointEvery?: number;
  /** Default 0. */
  seed?: number;
  /** CPU threads for the trainer. Default: half the cores, so serving keeps the rest. */
  threads?: number;
  env?: Env;
  /** The command that starts wren again (for the detached worker). Default: this process's. */
  wrenCommand?: readonly string[];
}

function positive(value: number | undefined, fallback: number, flag: string, integer = true): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new WrenError("bad_request", `${flag} must be a positive ${integer ? "whole " : ""}number; got ${String(value)}.`, { hint: `Leave it out for the default (${fallback}).` });
  }
  return v;
}

/** Starts the job's worker as a detached process: it survives this terminal and writes only to the job's folder. */
function spawnWorker(files: JobFiles, resume: boolean, wrenCommand: readonly string[] | undefined, env: Env): number {
  const [program, ...lead] = wrenCommand ?? [process.execPath, process.argv[1] ?? "wren"];
  if (!program) throw new WrenError("internal", "No command to start the training worker with.");
  const log = openSync(files.log, "a", 0o600);
  try {
    const child = spawn(program, [...lead, "train", "worker", files.dir, ...(resume ? ["--resume"] : [])], {
      detached: true,
      stdio: ["ignore", log, log],
      windowsHide: true,
      env: { ...env, UV_THREADPOOL_SIZE: "1" },
    });
    // A worker that fails to start is reported by `wren train status` (it never records its pid).
    child.once("error", () => {});
    child.unref();
    if (child.pid === undefined) throw new WrenError("internal", "The training worker did not start.", { hint: `See ${files.log}.` });
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/**
 * Records the process just started as the job's worker-to-be, so a worker that exits before it
 * records itself (it cannot load, a bad install) shows as failed at once, not as starting for minutes.
 */
async function recordLaunch(files: JobFiles, pid: number): Promise<void> {
  await writeFileAtomic(files.launch, `${JSON.stringify(workerIdentity(pid))}\n`, { mode: 0o600 });
}

/** Two `wren train run` at the same moment: the second sees the first's job before it decides. */
async function oneAtATime<T>(env: Env, fn: () => Promise<T>): Promise<T> {
  await mkdir(jobsRoot(env), { recursive: true });
  return withFileLock(path.join(jobsRoot(env), "start.lock"), fn);
}

/** `wren train run`: checks everything a job needs, then starts it in the background. */
export async function startTraining(options: TrainRunOptions = {}): Promise<{ files: JobFiles; job: JobRecord; pid: number }> {
  const env = options.env ?? process.env;
  const { config } = await loadConfig({ env });
  const baseRef = options.base ?? config.models.default;
  if (!baseRef) throw new WrenError("bad_request", "No base model to train an adapter for.", { hint: "Pass --base MODEL (a name, alias or GGUF path), or set models.default." });
  const context = await loadModelsContext({ env });
  const base = await resolveModelForUser(baseRef, context, { offline: true });
  const dataset = path.resolve(options.dataset ?? path.join(resolvePaths(env).dataDir, "train", "dataset", "train.jsonl"));
  if (!existsSync(dataset)) throw new WrenError("not_found", `No dataset at ${dataset}.`, { hint: "Make one with `wren train export`, or pass --dataset FILE." });
  // A dataset with nothing to learn, or a damaged line, is refused now, not in the background.
  await trainableExamples(dataset);
  const identity = await readGgufIdentity(base.path);
  const baseWeights = options.baseWeights ?? identity.originalWeights;
  const trainer = await selectTrainer({ choice: options.trainer ?? config.train.trainer, command: config.train.command, python: config.train.python, baseWeights, env });
  // A base the CPU trainer cannot read is refused now, not in the background.
  if (trainer.readsGguf) await readTrainableBase(base.path);
  const id = newJobId();
  // Checked now: a name the registry refuses would fail the job only once training is over.
  const name = options.name ?? adapterNameFrom(`${path.basename(base.path).replace(/\.gguf$/i, "")}-${id}`);
  checkAdapterName(name);
  if ((await listAdapters(adapterRegistryPath(env))).some((a) => a.name === name)) {
    throw new WrenError("bad_request", `An adapter named '${name}' is already registered.`, { hint: `Pass another --name, or remove it first (\`wren adapters rm ${name}\`).` });
  }
  const rank = positive(options.rank, 8, "--rank");
  const job: JobRecord = {
    id,
    createdAt: new Date().toISOString(),
    // A path is recorded absolute: the adapter registry and later commands may run from elsewhere.
    base: { ref: existsSync(baseRef) ? path.resolve(baseRef) : baseRef, path: base.path, architecture: identity.architecture ?? "llama", ...(baseWeights ? { weights: baseWeights } : {}) },
    dataset,
    name,
    trainer: { name: trainer.name, command: [...trainer.command], readsGguf: trainer.readsGguf, stopGraceSeconds: config.train.stopGraceSeconds },
    lora: { rank, alpha: positive(options.alpha, 2 * rank, "--alpha", false), targets: ["attn_q", "attn_v"] },
    train: {
      steps: positive(options.steps, 60, "--steps"),
      learningRate: positive(options.learningRate, 1e-3, "--lr", false),
      batchSize: positive(options.batchSize, 4, "--batch-size"),
      checkpointEvery: positive(options.checkpointEvery, 20, "--checkpoint-every"),
      seed: options.seed ?? 0,
      threads: positive(options.threads, Math.max(1, Math.floor(os.availableParallelism() / 2)), "--threads"),
    },
  };
  const files = await oneAtATime(env, async () => {
    await refuseWhileAnotherRuns(env);
    return createJob(job, env);
  });
  const pid = spawnWorker(files, false, options.wrenCommand, env);
  await recordLaunch(files, pid);
  return { files, job, pid };
}

/** `wren train run --resume`: starts a stopped job's worker again; the trainer continues from its last checkpoint. */
export async function resumeTraining(options: { id?: string; steps?: number; env?: Env; wrenCommand?: readonly string[] } = {}): Promise<{ files: JobFiles; job: JobRecord; pid: number }> {
  const env = options.env ?? process.env;
  const files = await findJob(options.id, env);
  const job = await readJob(files);
  const state = await readState(files);
  if (state.state === "done") throw new WrenError("bad_request", `Training job ${job.id} has finished; its adapter is '${job.name}'.`, { hint: "Start a new job with `wren train run`." });
  if (state.pid !== undefined && workerState(state) !== "gone" && !["cancelled", "failed"].includes(state.state)) {
    const { unconfirmed } = await jobStatus(files);
    throw new WrenError("bad_request", `Training job ${job.id} is still running.`, {
      hint: unconfirmed ? `Wren cannot confirm it still runs: ${unconfirmed.note}` : "Follow it with `wren train logs -f`, or stop it with `wren train cancel`.",
    });
  }
  if (options.steps !== undefined) job.train.steps = positive(options.steps, job.train.steps, "--steps");
  await oneAtATime(env, async () => {
    await refuseWhileAnotherRuns(env, job.id);
    if (options.steps !== undefined) await writeFileAtomic(files.job, `${JSON.stringify(job, null, 2)}\n`);
    await rm(files.cancel, { force: true });
    // The last run's worker is gone: a new one is launched below.
    await rm(files.launch, { force: true });
    await writeState(files, { state: "starting" });
  });
  const pid = spawnWorker(files, true, options.wrenCommand, env);
  await recordLaunch(files, pid);
  return { files, job, pid };
}
