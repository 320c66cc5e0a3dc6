import { mkdir } from "node:fs/promises";
import path from "node:path";
import { feedbackFile, readFeedback } from "../../agent/feedback.js";
import { loadConfig } from "../../config/index.js";
import { writeFileAtomic } from "../../models/atomic-write.js";
import { WrenError } from "../../shared/errors.js";
import { resolvePaths, type Env } from "../../shared/paths.js";
import { sessionsDir } from "../../agent/session-store.js";
import { buildDataset, type DatasetSummary } from "./export-dataset.js";
import { teacherExchanges } from "./teacher-exchanges.js";

/** Options of `wren train export`. */
export interface ExportOptions {
  /** Folder for `train.jsonl` and `eval.jsonl`. Default: `train/dataset` in wren's data directory. */
  out?: string;
  /** ISO date or date-time: only feedback given since. */
  since?: string;
  minWeight?: number;
  /** Files outside it are redacted. Default: the current directory. */
  projectRoot?: string;
  /** The feedback log. Default: `feedback.jsonl` in wren's data directory. */
  feedback?: string;
  /** The assistant's transcripts, read for teacher answers when `train.collectTeacher` is on. Default: wren's. */
  sessionsDir?: string;
  env?: Env;
}

export interface ExportResult {
  summary: DatasetSummary;
  trainFile: string;
  evalFile: string;
}

function parseSince(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new WrenError("bad_request", `--since must be a date or date-time; got '${text}'.`, { hint: "Use e.g. --since 2026-11-01 or --since 2026-11-30T08:00:00Z." });
  }
  return date;
}

/** `wren train export`: the feedback log as a chat-format JSONL dataset with a held-back eval slice. */
export async function exportTrainingData(options: ExportOptions = {}): Promise<ExportResult> {
  const env = options.env ?? process.env;
  const { config } = await loadConfig({ env });
  const dataDir = resolvePaths(env).dataDir;
  const out = options.out ?? path.join(dataDir, "train", "dataset");
  const since = options.since === undefined ? undefined : parseSince(options.since);
  if (options.minWeight !== undefined && !(options.minWeight >= 0)) {
    throw new WrenError("bad_request", `--min-weight must be a number of at least 0; got ${options.minWeight}.`, { hint: "Use e.g. --min-weight 3 to keep only bad and corrected answers." });
  }
  const rated = readFeedback(options.feedback ?? feedbackFile(dataDir));
  // With train.collectTeacher on, the sessions' teacher answers after the local model fell short count too.
  const teacher = config.train.collectTeacher ? teacherExchanges(options.sessionsDir ?? sessionsDir(resolvePaths(env).stateDir)) : [];
  const entries = [...rated, ...teacher];
  const { train, eval: held, summary } = buildDataset(entries, {
    weights: config.train.weights,
    evalFraction: config.train.evalFraction,
    projectRoot: path.resolve(options.projectRoot ?? process.cwd()),
    ...(since ? { since } : {}),
    ...(options.minWeight !== undefined ? { minWeight: options.minWeight } : {}),
  });
  await mkdir(out, { recursive: true });
  const lines = (list: typeof train): string => list.map((e) => `${JSON.stringify(e)}\n`).join("");
  const trainFile = path.join(out, "train.jsonl");
  const evalFile = path.join(out, "eval.jsonl");
  await writeFileAtomic(trainFile, lines(train));
  await writeFileAtomic(evalFile, lines(held));
  return { summary, trainFile, evalFile };
}
