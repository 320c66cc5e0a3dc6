import { z } from "zod";
import type { TrainableBase } from "../../models/gguf-tensors.js";

/**
 * wren's trainer protocol: a trainer is a command that reads one JSON spec (its path is the last
 * argument), writes JSON lines on stdout (see {@link trainerLine}) and writes the LoRA tensors as a
 * safetensors file at `out.adapter`. Anything on stderr goes to the job's log. wren converts the
 * tensors to a GGUF LoRA adapter and registers it. Any program that follows this can be a trainer
 * (`train.trainer = "command"`).
 */
export interface TrainerSpec {
  version: 1;
  base: {
    /** The base model's GGUF file (the adapter is for it). */
    gguf: string;
    /** Where its weights lie in that file, for trainers that read the GGUF in place (F32/F16 llama only). */
    table?: TrainableBase;
    /** The original (Hugging Face) weights, for trainers that need them: a repo id or a local folder. */
    weights?: string;
  };
  /** The chat-format dataset (`wren train export`'s train.jsonl): for trainers with their own tokenizer. */
  dataset: string;
  /** The same examples tokenized by wren's engine (lines of {tokens, lossFrom, weight}). */
  examples: string;
  lora: { rank: number; alpha: number; targets: string[] };
  train: { steps: number; learningRate: number; batchSize: number; checkpointEvery: number; seed: number; threads: number };
  out: {
    /** Safetensors file of tensors named like GGUF LoRA tensors: `blk.N.attn_q.weight.lora_a` [r, in], `.lora_b` [out, r]. */
    adapter: string;
    /** The trainer's checkpoint (its own format), rewritten atomically every `checkpointEvery` steps. */
    checkpoint: string;
  };
  /** Continue from `out.checkpoint` when it exists. */
  resume: boolean;
  /** When this file exists the trainer stops after its current step. */
  cancelFile: string;
}

/** One line a trainer writes on stdout. */
export const trainerLine = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), step: z.number(), totalSteps: z.number(), examples: z.number().optional(), trainer: z.string().optional() }),
  z.object({ type: z.literal("resume"), step: z.number() }),
  z.object({
    type: z.literal("progress"),
    step: z.number(),
    totalSteps: z.number(),
    loss: z.number(),
    tokensPerSecond: z.number(),
    etaSeconds: z.number(),
  }),
  z.object({ type: z.literal("checkpoint"), step: z.number() }),
  z.object({ type: z.literal("done"), step: z.number(), adapter: z.string() }),
  z.object({ type: z.literal("cancelled"), step: z.number() }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type TrainerLine = z.infer<typeof trainerLine>;

/** How to start one trainer: a program and its leading arguments (the spec path is appended). */
export interface Trainer {
  /** `cpu-torch`, `peft` or `command`. */
  name: string;
  command: readonly string[];
  /** Reads the base's weights in place from the GGUF (needs `base.table`), instead of original weights. */
  readsGguf: boolean;
}
