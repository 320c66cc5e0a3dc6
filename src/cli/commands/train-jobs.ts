import path from "node:path";
import type { Command } from "commander";
import type { TrainStatus } from "../../runtime/train/job-status.js";
import type { JobLogEvent } from "../../runtime/train/job-logs.js";
import { WrenError } from "../../shared/errors.js";

function number(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new WrenError("bad_request", `${flag} must be a number; got '${value}'.`, { hint: `Use e.g. ${flag} 20.` });
    return n;
  };
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function statusLines(s: TrainStatus): string[] {
  const lines = [`Job ${s.id}: ${s.state}${s.unconfirmed ? " (not confirmed)" : ""}, step ${s.step}/${s.totalSteps} (${s.trainer} trainer, base ${s.base})`];
  if (s.unconfirmed) lines.push(`  ${s.unconfirmed.note}`);
  if (s.loss !== undefined) lines.push(`  loss ${s.loss.toFixed(4)}, ${Math.round(s.tokensPerSecond ?? 0)} tokens/s${s.state === "running" && s.etaSeconds !== undefined ? `, about ${duration(s.etaSeconds)} left` : ""}`);
  if (s.checkpointStep !== undefined) lines.push(`  last checkpoint at step ${s.checkpointStep}`);
  if (s.stalledSeconds !== undefined) {
    lines.push(`  no progress for ${duration(s.stalledSeconds)}: the trainer may be stuck; see ${path.join(s.dir, "train.log")}, or stop it with \`wren train cancel ${s.id}\` (\`--resume\` continues from the last checkpoint)`);
  }
  if (s.state === "done") lines.push(`  adapter '${s.adapterName}' registered (${s.adapter ?? ""}); use it with x-wren-adapter: ${s.adapterName}`);
  if (s.state === "cancelled" || s.state === "failed") lines.push("  continue it with `wren train run --resume`");
  if (s.error) lines.push(`  ${s.error.replace(/\n/g, "\n  ")}`);
  return lines;
}

function eventText(event: JobLogEvent): string {
  if (event.kind === "log") return event.text;
  if (event.kind === "end") return `Job ${event.state}.\n`;
  const l = event.line;
  switch (l.type) {
    case "start":
      return `start at step ${l.step} of ${l.totalSteps}${l.examples !== undefined ? `, ${l.examples} examples` : ""}\n`;
    case "resume":
      return `resumed from the checkpoint at step ${l.step}\n`;
    case "progress":
      return `step ${l.step}/${l.totalSteps}  loss ${l.loss.toFixed(4)}  ${Math.round(l.tokensPerSecond)} tokens/s  eta ${duration(l.etaSeconds)}\n`;
    case "checkpoint":
      return `checkpoint at step ${l.step}\n`;
    case "done":
      return `finished at step ${l.step}\n`;
    case "cancelled":
      return `cancelled at step ${l.step}\n`;
    case "error":
      return `error: ${l.message}\n`;
  }
}

interface RunFlags {
  base?: string;
  dataset?: string;
  name?: string;
  trainer?: string;
  baseWeights?: string;
  steps?: number;
  rank?: number;
  alpha?: number;
  lr?: number;
  batchSize?: number;
  checkpointEvery?: number;
  seed?: number;
  threads?: number;
  resume?: string | boolean;
  json?: boolean;
}

/** `wren train run | status | logs | cancel | setup`: LoRA training as a background job. */
export function registerTrainJobs(train: Command): void {
  train
    .command("run")
    .description("train a LoRA adapter in the background (survives the terminal; registered as an adapter when done)")
    .option("--base <model>", "the base model (name, alias or GGUF path; default: models.default)")
    .option("--dataset <file>", "chat-format JSONL (default: the train.jsonl of `wren train export`)")
    .option("--name <name>", "register the adapter under this name (default: base file name and job id)")
    .option("--trainer <name>", "auto, cpu-torch, peft or command (default: train.trainer)")
    .option("--base-weights <repo-or-dir>", "the base's original weights for the PEFT trainer (Hugging Face repo id or folder)")
    .option("--steps <n>", "optimizer steps (default 60; with --resume: a new total)", number("--steps"))
    .option("--rank <n>", "LoRA rank (default 8)", number("--rank"))
    .option("--alpha <n>", "LoRA alpha (default 2 x rank)", number("--alpha"))
    .option("--lr <n>", "learning rate (default 0.001)", number("--lr"))
    .option("--batch-size <n>", "examples per step (default 4)", number("--batch-size"))
    .option("--checkpoint-every <n>", "steps between checkpoints (default 20)", number("--checkpoint-every"))
    .option("--seed <n>", "random seed (default 0)", number("--seed"))
    .option("--threads <n>", "CPU threads for training (default: half the cores)", number("--threads"))
    .option("--resume [job]", "continue a cancelled or failed job (default: the latest) from its last checkpoint")
    .option("--json", "print the job as JSON")
    .action(async (flags: RunFlags) => {
      const { resumeTraining, startTraining } = await import("../../runtime/train/job-start.js");
      const { TRAINER_CHOICES } = await import("../../runtime/train/trainers.js");
      const trainer = flags.trainer;
      if (trainer !== undefined && !(TRAINER_CHOICES as readonly string[]).includes(trainer)) {
        throw new WrenError("bad_request", `--trainer must be one of ${TRAINER_CHOICES.join(", ")}; got '${trainer}'.`, { hint: "Leave it out to use train.trainer." });
      }
      const started = flags.resume
        ? await resumeTraining({ ...(typeof flags.resume === "string" ? { id: flags.resume } : {}), ...(flags.steps !== undefined ? { steps: flags.steps } : {}) })
        : await startTraining({
            ...(flags.base ? { base: flags.base } : {}),
            ...(flags.dataset ? { dataset: flags.dataset } : {}),
            ...(flags.name ? { name: flags.name } : {}),
            ...(trainer ? { trainer: trainer as (typeof TRAINER_CHOICES)[number] } : {}),
            ...(flags.baseWeights ? { baseWeights: flags.baseWeights } : {}),
            ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
            ...(flags.rank !== undefined ? { rank: flags.rank } : {}),
            ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}),
            ...(flags.lr !== undefined ? { learningRate: flags.lr } : {}),
            ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
            ...(flags.checkpointEvery !== undefined ? { checkpointEvery: flags.checkpointEvery } : {}),
            ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
            ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
          });
      const { job, files, pid } = started;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ id: job.id, dir: files.dir, pid, trainer: job.trainer.name, name: job.name, resumed: Boolean(flags.resume) }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${flags.resume ? "Resumed" : "Started"} training job ${job.id} (${job.trainer.name} trainer, ${job.train.steps} steps) in the background.\n`);
      process.stdout.write(`The adapter will be registered as '${job.name}'. Follow it with \`wren train status\` or \`wren train logs -f\`.\n`);
    });
  train
    .command("status")
    .description("step, loss, tokens/s and time left of the latest training job (or the one named)")
    .argument("[job]", "a job id (default: the latest)")
    .option("--all", "every job")
    .option("--json", "print as JSON")
    .action(async (id: string | undefined, options: { all?: boolean; json?: boolean }) => {
      const { trainStatus } = await import("../../runtime/train/job-status.js");
      const list = await trainStatus({ ...(id ? { id } : {}), ...(options.all ? { all: true } : {}) });
      if (options.json) process.stdout.write(`${JSON.stringify(options.all ? list : list[0], null, 2)}\n`);
      else process.stdout.write(list.length ? `${list.flatMap(statusLines).join("\n")}\n` : "No training jobs yet. Start one with `wren train run --base MODEL`.\n");
    });
  train
    .command("logs")
    .description("a training job's progress and log")
    .argument("[job]", "a job id (default: the latest)")
    .option("-f, --follow", "keep printing until the job stops")
    .action(async (id: string | undefined, options: { follow?: boolean }) => {
      const { jobLogs } = await import("../../runtime/train/job-logs.js");
      for await (const event of jobLogs({ ...(id ? { id } : {}), follow: Boolean(options.follow) })) process.stdout.write(eventText(event));
    });
  train
    .command("cancel")
    .description("stop a training job; its last checkpoint stays for `wren train run --resume`")
    .argument("[job]", "a job id (default: the latest)")
    .option("--forget", "mark it cancelled without signalling its worker (one wren cannot confirm is the job's, e.g. of an older wren)")
    .option("--json", "print the job's status as JSON")
    .action(async (id: string | undefined, options: { json?: boolean; forget?: boolean }) => {
      const { cancelTraining } = await import("../../runtime/train/job-status.js");
      const { readState, findJob } = await import("../../runtime/train/job-store.js");
      const pid = options.forget ? (await readState(await findJob(id))).pid : undefined;
      const status = await cancelTraining({ ...(id ? { id } : {}), ...(options.forget ? { forget: true } : {}) });
      const resume = status.checkpointStep !== undefined ? `; \`wren train run --resume\` continues from step ${status.checkpointStep}` : "";
      if (options.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else if (options.forget) process.stdout.write(`Marked job ${status.id} cancelled without signalling ${pid === undefined ? "anything" : `pid ${pid}`}${resume}.\n`);
      else process.stdout.write(`Cancelled job ${status.id} at step ${status.step}${resume}.\n`);
    });
  train
    .command("setup")
    .description("make and check the Python venv of the PEFT trainer (uv when installed, else python -m venv and pip)")
    .option("--check", "only check; install nothing")
    .action(async (options: { check?: boolean }) => {
      const { setupTrainer } = await import("../../runtime/train/setup.js");
      const result = await setupTrainer({ ...(options.check ? { check: true } : {}), onOutput: (text) => process.stderr.write(text) });
      process.stdout.write(`PEFT trainer venv: ${result.venv} (${result.ready ? "ready" : "not ready: run `wren train setup`"}).\n`);
      process.stdout.write(
        result.cpuTrainerPython
          ? `CPU trainer: ${result.cpuTrainerPython} has torch and numpy.\n`
          : "CPU trainer: no Python with torch and numpy here (Debian/Ubuntu: `sudo apt-get install python3-torch python3-numpy`).\n",
      );
      if (!result.ready) process.exitCode = 1;
    });
  train
    .command("worker", { hidden: true })
    .description("run a training job (started by `wren train run`)")
    .argument("<dir>", "the job's folder")
    .option("--resume", "continue from the job's checkpoint")
    .action(async (dir: string, options: { resume?: boolean }) => {
      const { jobFiles } = await import("../../runtime/train/job-store.js");
      const { runTrainingJob } = await import("../../runtime/train/job-worker.js");
      await runTrainingJob(jobFiles(dir), { resume: Boolean(options.resume) });
    });
}
