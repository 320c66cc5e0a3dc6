import type { Command } from "commander";
import type { ExportResult } from "../../runtime/train/export.js";
import { registerTrainEval } from "./train-eval.js";
import { registerTrainJobs } from "./train-jobs.js";

function printSummary({ summary: s, trainFile, evalFile }: ExportResult, damagedText: (d: ExportResult["summary"]["damaged"]) => string): void {
  const lines = [
    `Read ${s.read} feedback entries.`,
    `Kept ${s.kept.train + s.kept.eval}: ${s.kept.train} for training (${trainFile}), ${s.kept.eval} held back for evaluation (${evalFile}).`,
    `  by kind: ${s.byKind.corrected} corrected, ${s.byKind.bad} bad, ${s.byKind.good} good, ${s.byKind.teacher} teacher answers`,
  ];
  const left = [
    [s.skipped.beforeSince, "older than --since"],
    [s.skipped.belowMinWeight, "weigh less than --min-weight (or 0)"],
    [s.skipped.duplicate, "repeat an example already in"],
    [s.skipped.empty, "have no answer"],
  ] as const;
  for (const [count, why] of left) if (count > 0) lines.push(`Left out ${count}: they ${why}.`);
  if (s.damaged.count > 0) lines.push(`Skipped ${damagedText(s.damaged)} of the feedback log: they hold no rating (cut short by a killed write, or edited by hand).`);
  if (s.redacted.secrets > 0 || s.redacted.outsideFiles > 0) {
    lines.push(`Redacted ${s.redacted.secrets} secrets and ${s.redacted.outsideFiles} tool results with files from outside the project.`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** `wren train export`: training data for LoRA adapters from the assistant's feedback. */
export function registerTrain(program: Command): void {
  const train = program.command("train").description("LoRA adapters from your feedback: export the dataset, train in the background (run, status, logs, cancel), evaluate (eval)");
  train
    .command("export")
    .description("write the feedback log as a chat-format JSONL dataset (weighted, deduplicated, secrets redacted) with a held-back eval slice")
    .option("--out <dir>", "folder for train.jsonl and eval.jsonl (default: train/dataset in wren's data directory)")
    .option("--since <date>", "only feedback given since this date or date-time")
    .option("--min-weight <n>", "only examples weighing at least this much", Number)
    .option("--project <dir>", "files outside this folder are redacted (default: the current directory)")
    .option("--json", "print the summary as JSON")
    .action(async (options: { out?: string; since?: string; minWeight?: number; project?: string; json?: boolean }) => {
      const { damagedText, exportTrainingData } = await import("../../runtime/train/export.js");
      const result = await exportTrainingData({
        ...(options.out ? { out: options.out } : {}),
        ...(options.since ? { since: options.since } : {}),
        ...(options.minWeight !== undefined ? { minWeight: options.minWeight } : {}),
        ...(options.project ? { projectRoot: options.project } : {}),
      });
      if (options.json) process.stdout.write(`${JSON.stringify({ ...result.summary, trainFile: result.trainFile, evalFile: result.evalFile }, null, 2)}\n`);
      else printSummary(result, damagedText);
    });
  registerTrainJobs(train);
  registerTrainEval(train);
}
