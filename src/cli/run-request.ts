import type { ChatRequest, Message } from "../protocol/index.js";
import { checkSampling, type SamplingField } from "../protocol/sampling-ranges.js";
import type { Usage } from "../protocol/stream.js";
import type { RunFlags } from "./commands/run.js";
import { numberFlag, schemaFlag } from "./parse-flags.js";

const DEFAULT_TEMPERATURE = 0.8;

/** A sampling flag's number, checked against the range llama.cpp takes, a refusal naming the flag as typed. */
function samplingFlag(field: SamplingField, flag: string, value: string | undefined, integer = false): number | undefined {
  const n = numberFlag(flag, value, { integer });
  return n === undefined ? undefined : checkSampling(field, flag, n);
}

type SamplingFields = Pick<ChatRequest, "temperature" | "topP" | "topK" | "minP" | "repeatPenalty" | "seed" | "maxOutputTokens">;

/**
 * The sampling fields and output limit of `wren run`'s flags, each checked and refused naming the
 * flag; `wren run` calls it before it loads a model too, so a bad value costs no load.
 */
export function samplingFromFlags(flags: RunFlags): SamplingFields {
  const fields: SamplingFields = { temperature: samplingFlag("temperature", "--temperature", flags.temperature) ?? DEFAULT_TEMPERATURE };
  const optional: Array<[keyof SamplingFields, number | undefined]> = [
    ["topP", samplingFlag("topP", "--top-p", flags.topP)],
    ["topK", samplingFlag("topK", "--top-k", flags.topK, true)],
    ["minP", samplingFlag("minP", "--min-p", flags.minP)],
    ["repeatPenalty", samplingFlag("repeatPenalty", "--repeat-penalty", flags.repeatPenalty)],
    ["seed", samplingFlag("seed", "--seed", flags.seed, true)],
    ["maxOutputTokens", numberFlag("--max-tokens", flags.maxTokens, { integer: true })],
  ];
  for (const [key, value] of optional) if (value !== undefined) fields[key] = value;
  return fields;
}

/** The canonical request for `wren run`'s flags: chat messages, or a raw prompt to continue. */
export function buildRequest(prompt: string, flags: RunFlags, chat: boolean): ChatRequest {
  const messages: Message[] = [];
  if (chat && flags.system) messages.push({ role: "system", content: flags.system });
  if (chat) messages.push({ role: "user", content: [{ type: "text", text: prompt }] });
  const schema = schemaFlag(flags.jsonSchema);
  const request: ChatRequest = {
    messages,
    ...(chat ? {} : { rawPrompt: prompt }),
    ...samplingFromFlags(flags),
  };
  if (flags.stop.length) request.stopSequences = flags.stop;
  if (schema) request.responseFormat = { type: "json", schema };
  return request;
}

/** The stats line printed on stderr after the answer. */
export function statsLine(usage: Usage, ttftMs: number | undefined, totalMs: number): string {
  const decodeMs = totalMs - (ttftMs ?? 0);
  const rate = usage.outputTokens > 1 && decodeMs > 0 ? ((usage.outputTokens - 1) / decodeMs) * 1000 : 0;
  const parts = [
    `${usage.inputTokens} prompt tokens`,
    `${usage.outputTokens} completion tokens`,
    `time to first token ${ttftMs === undefined ? "-" : `${ttftMs.toFixed(0)} ms`}`,
    `${rate.toFixed(1)} tokens/s`,
  ];
  if (usage.inputTruncated) parts.push("input truncated to fit the context");
  return parts.join(", ");
}
