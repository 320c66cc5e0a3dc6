import { existsSync } from "node:fs";
import { appendFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { createInterface } from "node:readline";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { readTrainableBase, type TrainableBase } from "../../models/gguf-tensors.js";
import { WrenError } from "../../shared/errors.js";
import type { Env } from "../../shared/paths.js";
import { addAdapter, adapterRegistryPath } from "../adapters.js";
import { trainableExamples } from "./dataset-read.js";
import { logTail, readJob, writeState, type JobFiles, type JobRecord } from "./job-store.js";
import { workerIdentity } from "./job-status.js";
import { readSafetensors, writeLoraGguf } from "./lora-gguf.js";
import { trainerLine, type TrainerLine, type TrainerSpec } from "./trainer.js";
import { spawnGuarded, type GuardedTrainer } from "./trainer-guard.js";

/**
 * How long a trainer asked to stop may take before it is killed (`wren train cancel` waits 60 s),
 * for a job recorded without train.stopGraceSeconds.
 */
const TRAINER_STOP_MS = 10_000;

/** How often the worker looks for the job's cancel file (`wren train cancel` may not signal it). */
const CANCEL_POLL_MS = 500;

/** Runs below normal priority: training never takes the cores from serving. */
function lowerPriority(pid: number | undefined): void {
  try {
    os.setPriority(pid ?? 0, os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not permitted here (some containers): training still runs, at normal priority.
  }
}

async function buildSpec(files: JobFiles, job: JobRecord, resume: boolean): Promise<TrainerSpec> {
  let table: TrainableBase | undefined;
  try {
    table = await readTrainableBase(job.base.path);
  } catch (error) {
    if (job.trainer.readsGguf) throw error;
  }
  if (!resume || !existsSync(files.examples)) {
    const { tokenizeChatExamples } = await import("../../engine/train-tokens.js");
    const { examples, tooLong, contextSize } = await tokenizeChatExamples(job.base.path, await trainableExamples(job.dataset));
    if (tooLong > 0) await appendFile(files.log, `Left out ${tooLong} examples longer than the model's context (${contextSize} tokens).\n`);
    if (examples.length === 0) {
      throw new WrenError("bad_request", `The dataset ${job.dataset} has no example to learn from: all ${tooLong} are longer than the base model's context (${contextSize} tokens).`, {
        hint: "Train a base with a longer context, or export shorter exchanges (e.g. `wren train export --since DATE`).",
      });
    }
    await writeFileAtomic(files.examples, examples.map((e) => `${JSON.stringify(e)}\n`).join(""));
  }
  return {
    version: 1,
    base: { gguf: job.base.path, ...(table ? { table } : {}), ...(job.base.weights ? { weights: job.base.weights } : {}) },
    dataset: job.dataset,
    examples: files.examples,
    lora: job.lora,
    train: job.train,
    out: { adapter: files.tensors, checkpoint: files.checkpoint },
    resume,
    cancelFile: files.cancel,
  };
}

/** Runs the trainer, recording each protocol line; resolves with the last one. */
async function runTrainer(files: JobFiles, command: readonly string[], onChild: (child: GuardedTrainer) => void): Promise<{ last: TrainerLine | undefined; code: number | null }> {
  const [program, ...args] = command;
  if (!program) throw new WrenError("config_invalid", "The trainer command is empty.");
  // Guarded: a worker that dies (even by SIGKILL) takes the trainer with it.
  const child = spawnGuarded(program, [...args, files.spec], { ...process.env, PYTHONUNBUFFERED: "1" });
  child.stdin.on("error", () => {});
  onChild(child);
  lowerPriority(child.pid);
  child.stderr.on("data", (chunk: Buffer) => void appendFile(files.log, chunk));
  let last: TrainerLine | undefined;
  let pending: Promise<void> = Promise.resolve();
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (text) => {
    let parsed: TrainerLine | undefined;
    try {
      const result = trainerLine.safeParse(JSON.parse(text));
      if (result.success) parsed = result.data;
    } catch {
      // Not a protocol line: it is the trainer's own output, kept in the log.
    }
    const line = parsed;
    pending = pending.then(async () => {
      if (!line) return appendFile(files.log, `${text}\n`);
      last = line;
      await appendFile(files.progress, `${JSON.stringify({ ...line, at: new Date().toISOString() })}\n`);
    });
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (c) => resolve(c));
  });
  await pending;
  return { last, code };
}

/**
 * The detached process behind `wren train run`: tokenizes the dataset with the engine, runs the
 * trainer, converts its tensors to a GGUF LoRA adapter and registers it. Everything it does is
 * written to the job's folder; SIGTERM (`wren train cancel`) stops the trainer, whose last
 * checkpoint stays for `wren train run --resume`.
 */
export async function runTrainingJob(files: JobFiles, options: { resume: boolean; env?: Env }): Promise<void> {
  const env = options.env ?? process.env;
  lowerPriority(undefined);
  const job = await readJob(files);
  const resume = options.resume && existsSync(files.checkpoint);
  let child: GuardedTrainer | undefined;
  let cancelled = false;
  let kill: NodeJS.Timeout | undefined;
  const stopMs = job.trainer.stopGraceSeconds === undefined ? TRAINER_STOP_MS : job.trainer.stopGraceSeconds * 1000;
  // Ending the guard's stdin kills the trainer and its children.
  const killTrainer = (): void => void child?.stdin.end();
  const onTerm = (): void => {
    cancelled = true;
    // Windows has no SIGTERM to pass on (it would end the guard, not the trainer): stop it at once.
    if (process.platform === "win32") return killTrainer();
    child?.kill("SIGTERM");
    // A trainer that ignores SIGTERM (or is stuck in native code) is killed; its last checkpoint stays.
    kill ??= setTimeout(killTrainer, stopMs);
  };
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onTerm);
  // `wren train cancel` signals only a worker it can show is this job's; otherwise the file says it.
  const watch = setInterval(() => {
    if (!cancelled && existsSync(files.cancel)) onTerm();
  }, CANCEL_POLL_MS);
  const me = workerIdentity();
  try {
    await writeState(files, { state: "preparing", ...me });
    const spec = await buildSpec(files, job, resume);
    await writeFile(files.spec, `${JSON.stringify(spec, null, 2)}\n`);
    if (cancelled || existsSync(files.cancel)) return await writeState(files, { state: "cancelled" });
    await writeState(files, { state: "running", ...me });
    const { last, code } = await runTrainer(files, job.trainer.command, (c) => (child = c));
    if (cancelled || last?.type === "cancelled") return await writeState(files, { state: "cancelled" });
    if (code !== 0 || last?.type !== "done") {
      const why = last?.type === "error" ? last.message : `the trainer exited with code ${code} before it finished`;
      return await writeState(files, { state: "failed", error: `${why}\n${await logTail(files.log)}`.trim() });
    }
    await writeState(files, { state: "converting", ...me });
    const { tensors, metadata } = await readSafetensors(files.tensors);
    const recorded = Number(metadata["alpha"]);
    const alpha = Number.isFinite(recorded) && recorded > 0 ? recorded : job.lora.alpha;
    await writeLoraGguf(files.adapter, tensors, { alpha, name: job.name, baseName: job.base.ref, architecture: job.base.architecture });
    await addAdapter(adapterRegistryPath(env), files.adapter, { name: job.name, base: { name: job.base.ref, path: job.base.path } });
    await writeState(files, { state: "done", adapter: { path: files.adapter, name: job.name } });
  } catch (error) {
    const message = error instanceof WrenError ? error.toLine() : error instanceof Error ? error.message : String(error);
    await writeState(files, { state: "failed", error: message });
  } finally {
    clearInterval(watch);
    clearTimeout(kill);
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onTerm);
  }
}
