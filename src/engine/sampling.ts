import type { LLamaContextualRepeatPenalty } from "node-llama-cpp";
import type { ChatRequest } from "../protocol/request.js";
import { checkSampling } from "../protocol/sampling-ranges.js";

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
  if (request.temperature !== undefined) out.temperature = checkSampling("temperature", "temperature", request.temperature);
  if (request.topK !== undefined) out.topK = Math.floor(checkSampling("topK", "top_k", request.topK));
  if (request.topP !== undefined) out.topP = checkSampling("topP", "top_p", request.topP);
  if (request.minP !== undefined) out.minP = checkSampling("minP", "min_p", request.minP);
  if (request.seed !== undefined) out.seed = Math.floor(checkSampling("seed", "seed", request.seed));
  const { repeatPenalty, presencePenalty, frequencyPenalty } = request;
  if (repeatPenalty !== undefined || presencePenalty !== undefined || frequencyPenalty !== undefined) {
    out.repeatPenalty = {
      ...(repeatPenalty !== undefined ? { penalty: checkSampling("repeatPenalty", "repeat_penalty", repeatPenalty) } : {}),
      ...(presencePenalty !== undefined ? { presencePenalty: checkSampling("presencePenalty", "presence_penalty", presencePenalty) } : {}),
      ...(frequencyPenalty !== undefined ? { frequencyPenalty: checkSampling("frequencyPenalty", "frequency_penalty", frequencyPenalty) } : {}),
    };
  }
  const stops = request.stopSequences?.filter((s) => s.length > 0);
  if (stops?.length) out.customStopTriggers = stops;
  return out;
}
