import { mkdir } from "node:fs/promises";
import path from "node:path";
import { feedbackFile, readFeedbackLog } from "../../agent/feedback.js";
import { loadConfig } from "../../config/index.js";
import { writeFileAtomic } from "../../shared/atomic-write.js";
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

const RATE = "Rate answers in the assistant (Ctrl+G good, Ctrl+B bad) or with `wren sessions rate ID good|bad [--correction TEXT]`";

/** "3 damaged lines (lines 2, 5 and 9)", at most 10 numbers. */
export function damagedText(damaged: { count: number; lines: readonly number[] }): string {
  const shown = damaged.lines.slice(0, 10);
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : String(shown[0]);
  const one = damaged.count === 1;
  return `${damaged.count} damaged line${one ? "" : "s"} (line${one ? "" : "s"} ${list}${damaged.count > shown.length ? " and more" : ""})`;
}

/** An export with nothing to train on is refused before any file is written, so an earlier dataset stays. */
function refuseEmpty(summary: DatasetSummary, feedback: string): void {
  if (summary.kept.train > 0) return;
  if (summary.read === 0 && summary.damaged.count > 0) {
    throw new WrenError("bad_request", `No feedback to export: ${feedback} holds no rating wren can read, only ${damagedText(summary.damaged)}.`, {
      hint: `Fix or remove those lines (each line is one JSON rating), or ${RATE[0]!.toLowerCase()}${RATE.slice(1)}.`,
    });
  }
  if (summary.read === 0) throw new WrenError("not_found", `No feedback to export yet: ${feedback} has no ratings.`, { hint: `${RATE}, then run \`wren train export\` again.` });
  const kept = summary.kept.eval;
  if (kept > 0) {
    throw new WrenError("bad_request", `No example to train on: the ${kept === 1 ? "only example kept falls" : `${kept} examples kept all fall`} in the held-back evaluation slice.`, {
      hint: `Rate more answers, or lower train.evalFraction (now held back by a hash of each example). ${RATE}.`,
    });
  }
  const s = summary.skipped;
  const why = [
    [s.beforeSince, "older than --since"],
    [s.belowMinWeight, "below --min-weight (or weighing 0)"],
    [s.empty, "with no answer"],
  ] as const;
  const reasons = why.flatMap(([n, text]) => (n > 0 ? [`${n} ${text}`] : [])).join(", ");
  throw new WrenError("bad_request", `No example to export: all ${summary.read} feedback entries were left out (${reasons}).`, {
    hint: "Loosen --since or --min-weight, or rate more answers. The dataset written before (if any) is kept as it was.",
  });
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
  const feedback = options.feedback ?? feedbackFile(dataDir);
  const { entries: rated, damaged } = readFeedbackLog(feedback);
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
  summary.damaged = { count: damaged.length, lines: damaged };
  refuseEmpty(summary, feedback);
  // The examples are conversations (which may hold what redaction missed): its owner's only, as the sessions are.
  await mkdir(out, { recursive: true, mode: 0o700 });
  const lines = (list: typeof train): string => list.map((e) => `${JSON.stringify(e)}\n`).join("");
  const trainFile = path.join(out, "train.jsonl");
  const evalFile = path.join(out, "eval.jsonl");
  await writeFileAtomic(trainFile, lines(train), { mode: 0o600 });
  await writeFileAtomic(evalFile, lines(held), { mode: 0o600 });
  return { summary, trainFile, evalFile };
}
