import { z } from "zod";

/** `[train]`: the dataset `wren train export` makes from feedback, for LoRA adapters. */
export function section() {
  return z
    .strictObject({
      collectTeacher: z
        .boolean()
        .default(false)
        .describe("Record exchanges where a teacher answered after the local model failed or was escalated from, so `wren train export` can learn from them. Off by default: it keeps prompts and answers on disk."),
      weights: z
        .strictObject({
          corrected: z.int().min(0).default(10).describe("Copies of a bad answer that was corrected (the correction is the example)."),
          bad: z.int().min(0).default(3).describe("Weight of a bad answer with no correction (kept as a negative example, with the note)."),
          good: z.int().min(0).default(1).describe("Copies of an answer rated good."),
          teacher: z.int().min(0).default(5).describe("Copies of a teacher's answer after the local model failed."),
        })
        .prefault({})
        .describe("How many times each kind of example counts in the dataset."),
      evalFraction: z.number().min(0).max(0.5).default(0.1).describe("Share of the examples held back for evaluation (chosen by a hash of each example, so the split is stable)."),
      trainer: z
        .enum(["auto", "cpu-torch", "peft", "command"])
        .default("auto")
        .describe("Which trainer `wren train run` uses: cpu-torch (llama GGUFs in F32/F16, straight from the file, on Debian's python3-torch), peft (PEFT + TRL in the venv `wren train setup` makes; needs the original weights), command (train.command). auto: peft when its venv exists and the base's original weights are known, else cpu-torch."),
      command: z
        .array(z.string())
        .default([])
        .describe("The trainer program and its arguments when train.trainer is command; it follows wren's trainer protocol (docs/training.md), the spec file's path appended."),
      stopGraceSeconds: z
        .number()
        .positive()
        // An hour at most: far past any checkpoint, and within what a timer can wait (about 24 days).
        .max(3600)
        .default(10)
        .describe("How long a trainer asked to stop (`wren train cancel`) may take before it is killed, with the processes it started; its last checkpoint stays. Raise it for a trainer that saves a large checkpoint as it stops. Kept with the job when it starts, so `--resume` uses the same."),
      python: z.string().optional().describe("The Python interpreter for the cpu-torch trainer. Default: the first of /usr/bin/python3, python3, python that can import torch and numpy (Debian installs python3-torch for /usr/bin/python3, which a pyenv shim may shadow)."),
    })
    .prefault({})
    .describe("Training data for LoRA adapters.");
}
