import { WrenError } from "../shared/errors.js";

/** The values llama.cpp can sample with, per canonical sampling field (inclusive). */
export const SAMPLING_RANGES = {
  temperature: { min: 0, max: 2 },
  topK: { min: 0, max: Number.MAX_SAFE_INTEGER },
  topP: { min: 0, max: 1 },
  minP: { min: 0, max: 1 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  repeatPenalty: { min: 0, max: 10 },
  presencePenalty: { min: -2, max: 2 },
  frequencyPenalty: { min: -2, max: 2 },
} as const;

export type SamplingField = keyof typeof SAMPLING_RANGES;

/**
 * `value` when it is within `field`'s range, else a `bad_request` naming it as the caller's user
 * wrote it: `top_p` for an HTTP body, `--top-p` for a flag.
 */
export function checkSampling(field: SamplingField, name: string, value: number): number {
  const { min, max } = SAMPLING_RANGES[field];
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new WrenError("bad_request", `${name} must be a number from ${min} to ${max}; got ${value}.`, {
      hint: `Pass ${name.startsWith("-") ? name : `a ${name}`} between ${min} and ${max}.`,
    });
  }
  return value;
}
