import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Message } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import { readDatasetExamples } from "./dataset-read.js";

/** The held-back slice, ready to score. */
export interface EvalDataset {
  /** The file read. */
  file: string;
  /** sha256 of its bytes: evaluations of the same slice compare. */
  sha256: string;
  /** Conversations ending with the reference answer. */
  examples: Array<readonly Message[]>;
  /** Examples left out: negative ones (a bad answer no one corrected) and ones weighing nothing. */
  leftOut: number;
}

/**
 * Reads the evaluation slice: `eval.jsonl` itself, or a folder holding it (what `wren train export
 * --out` wrote), with the reader training uses. Each example must end with the assistant's answer.
 */
export async function readEvalDataset(location: string): Promise<EvalDataset> {
  const absolute = path.resolve(location);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    throw new WrenError("not_found", `No evaluation data at ${absolute}.`, { hint: "Run `wren train export` first, or pass --dataset with its eval.jsonl (or the folder holding it)." });
  }
  const file = info.isDirectory() ? path.join(absolute, "eval.jsonl") : absolute;
  const examples = (await readDatasetExamples(file)).map((e) => e.messages);
  const bytes = await readFile(file);
  const lines = bytes.toString("utf8").split("\n").filter((l) => l.trim()).length;
  const unanswered = examples.findIndex((m) => m.at(-1)?.role !== "assistant");
  if (unanswered >= 0) {
    throw new WrenError("bad_request", `Example ${unanswered + 1} of ${file} does not end with the assistant's answer.`, { hint: "Each example's last message is the reference answer; export again." });
  }
  if (examples.length === 0) {
    throw new WrenError("bad_request", `${file} holds no example to evaluate on${lines ? ` (only ${lines} negative or weightless ones)` : ""}.`, {
      hint: "Rate more answers (`wren sessions rate`), export again, or pass --dataset with another slice.",
    });
  }
  return { file, sha256: createHash("sha256").update(bytes).digest("hex"), examples, leftOut: lines - examples.length };
}
