import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { WrenError } from "../../shared/errors.js";
import { resolvePaths, type Env } from "../../shared/paths.js";

/**
 * A training job is a folder under `train/jobs/` in wren's data directory; every file in it is
 * written by one process at a time (the job's worker), and read by any `wren train` command.
 */
export interface JobFiles {
  dir: string;
  /** What was asked for: {@link JobRecord}. */
  job: string;
  /** Where the job stands: {@link JobState}. */
  state: string;
  /** The trainer protocol spec handed to the trainer. */
  spec: string;
  /** The examples tokenized by the engine. */
  examples: string;
  /** Every line the trainer wrote, each with the time wren read it. */
  progress: string;
  /** The worker's and the trainer's own output. */
  log: string;
  checkpoint: string;
  /** The trainer's LoRA tensors (safetensors). */
  tensors: string;
  /** The GGUF LoRA adapter wren made from them. */
  adapter: string;
  /** Exists while a cancel is asked for. */
  cancel: string;
  /** The worker process `wren train run` started ({@link JobState}'s pid, host, start), before it records itself. */
  launch: string;
}

export function jobFiles(dir: string): JobFiles {
  const at = (name: string): string => path.join(dir, name);
  return {
    dir,
    job: at("job.json"),
    state: at("state.json"),
    spec: at("spec.json"),
    examples: at("examples.jsonl"),
    progress: at("progress.jsonl"),
    log: at("train.log"),
    checkpoint: at("checkpoint.pt"),
    tensors: at("adapter.safetensors"),
    adapter: at("adapter.gguf"),
    cancel: at("cancel"),
    launch: at("launch.json"),
  };
}

export const jobRecord = z.object({
  id: z.string(),
  createdAt: z.string(),
  base: z.object({ ref: z.string(), path: z.string(), architecture: z.string().default("llama"), weights: z.string().optional() }),
  dataset: z.string(),
  /** The name the adapter is registered under when the job ends. */
  name: z.string(),
  trainer: z.object({
    name: z.string(),
    command: z.array(z.string()),
    readsGguf: z.boolean(),
    /** train.stopGraceSeconds when the job started; absent from jobs started before it existed (10 s). */
    stopGraceSeconds: z.number().positive().optional(),
  }),
  lora: z.object({ rank: z.number(), alpha: z.number(), targets: z.array(z.string()) }),
  train: z.object({ steps: z.number(), learningRate: z.number(), batchSize: z.number(), checkpointEvery: z.number(), seed: z.number(), threads: z.number() }),
});
export type JobRecord = z.infer<typeof jobRecord>;

export const JOB_STATES = ["starting", "preparing", "running", "converting", "done", "cancelled", "failed"] as const;
export const jobState = z.object({
  state: z.enum(JOB_STATES),
  /** The worker's process id while it runs. */
  pid: z.number().optional(),
  /** The host the worker runs on: another host's process ids say nothing here. */
  host: z.string().optional(),
  /**
   * The worker's process start (`processStart` of models/lock-owner.ts), where the OS tells: a pid
   * reused by another program after the worker died is not taken for the worker. Absent in jobs
   * written by older versions of wren and where the OS does not tell (macOS, Windows).
   */
  start: z.string().optional(),
  updatedAt: z.string(),
  error: z.string().optional(),
  /** Set when done: the adapter file and the name it is registered under. */
  adapter: z.object({ path: z.string(), name: z.string() }).optional(),
});
export type JobState = z.infer<typeof jobState>;

export function jobsRoot(env: Env = process.env): string {
  return path.join(resolvePaths(env).dataDir, "train", "jobs");
}

/** A new job id: sortable by time, unique among jobs started in the same second. */
export function newJobId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

async function readJson<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new WrenError("not_found", `The training job's ${what} (${file}) is missing.`, { cause, hint: "`wren train status` lists the jobs; start one with `wren train run`." });
  }
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new WrenError("internal", `The training job's ${what} (${file}) is not in wren's format.`, { hint: "Remove the job's folder and start it again." });
  return parsed.data;
}

export const readJob = (files: JobFiles): Promise<JobRecord> => readJson(files.job, jobRecord, "record");
export const readState = (files: JobFiles): Promise<JobState> => readJson(files.state, jobState, "state");

export async function writeState(files: JobFiles, state: Omit<JobState, "updatedAt">): Promise<void> {
  await writeFileAtomic(files.state, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() })}\n`);
}

/** The last lines of a job's log: where its trainer's errors go, and Node's own when the worker crashes. */
export async function logTail(file: string, lines = 8): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export async function createJob(record: JobRecord, env: Env = process.env): Promise<JobFiles> {
  const files = jobFiles(path.join(jobsRoot(env), record.id));
  // The job's files hold the dataset's conversations (tokenized) and the trainer's output: its owner's only.
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(files.job, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await writeState(files, { state: "starting" });
  return files;
}

/** The job named by `id`, or the most recent one. */
export async function findJob(id: string | undefined, env: Env = process.env): Promise<JobFiles> {
  const root = jobsRoot(env);
  if (id) {
    const dir = path.join(root, path.basename(id));
    if (!existsSync(path.join(dir, "job.json"))) {
      throw new WrenError("not_found", `No training job '${id}'.`, { hint: "`wren train status --all` lists the jobs." });
    }
    return jobFiles(dir);
  }
  const ids = await listJobIds(env);
  const latest = ids.at(-1);
  if (!latest) throw new WrenError("not_found", "No training job has been started.", { hint: "Start one with `wren train run --base MODEL`." });
  return jobFiles(path.join(root, latest));
}

/** Every job id, oldest first (ids sort by start time). */
export async function listJobIds(env: Env = process.env): Promise<string[]> {
  const root = jobsRoot(env);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, "job.json"))).map((e) => e.name).sort();
}
