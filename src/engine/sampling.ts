import type { LLamaContextualRepeatPenalty } from "node-llama-cpp";
import type { ChatRequest } from "../protocol/request.js";
import { WrenError } from "../shared/errors.js";

/** The sampling options node-llama-cpp's chat and completion calls share. */
export interface SamplingOptions {
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: number;
  repeatPenalty: false | LLamaContextualRepeatPenalty;
  customStopTriggers?: string[];
}

/** Maps the canonical request's sampling fields, rejecting values llama.cpp cannot use. */
export function samplingOptions(request: ChatRequest): SamplingOptions {
  const out: SamplingOptions = { repeatPenalty: false };
  if (request.temperature !== undefined) out.temperature = check("temperature", request.temperature, 0, 2);
  if (request.topK !== undefined) out.topK = Math.floor(check("top_k", request.topK, 0, Number.MAX_SAFE_INTEGER));
  if (request.topP !== undefined) out.topP = check("top_p", request.topP, 0, 1);
  if (request.minP !== undefined) out.minP = check("min_p", request.minP, 0, 1);
  if (request.seed !== undefined) out.seed = Math.floor(check("seed", request.seed, 0, 2 ** 32 - 1));
  const { repeatPenalty, presencePenalty, frequencyPenalty } = request;
  if (repeatPenalty !== undefined || presencePenalty !== undefined || frequencyPenalty !== undefined) {
    out.repeatPenalty = {
      ...(repeatPenalty !== undefined ? { penalty: check("repeat_penalty", repeatPenalty, 0, 10) } : {}),
      ...(presencePenalty !== undefined ? { presencePenalty: check("presence_penalty", presencePenalty, -2, 2) } : {}),
      ...(frequencyPenalty !== undefined ? { frequencyPenalty: check("frequency_penalty", frequencyPenalty, -2, 2) } : {}),
    };
  }
  const stops = request.stopSequences?.filter((s) => s.length > 0);
  if (stops?.length) out.customStopTriggers = stops;
  return out;
}

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new WrenError("bad_request", `${name} must be a number from ${min} to ${max}; got ${value}.`, {
      hint: `Pass a ${name} between ${min} and ${max}.`,
    });
  }
  return value;
}
