import type { ChatRequest, Message } from "../protocol/index.js";
import type { Usage } from "../protocol/stream.js";
import type { RunFlags } from "./commands/run.js";
import { numberFlag, schemaFlag } from "./parse-flags.js";

const DEFAULT_TEMPERATURE = 0.8;

/** The canonical request for `wren run`'s flags: chat messages, or a raw prompt to continue. */
export function buildRequest(prompt: string, flags: RunFlags, chat: boolean): ChatRequest {
  const messages: Message[] = [];
  if (chat && flags.system) messages.push({ role: "system", content: flags.system });
  if (chat) messages.push({ role: "user", content: [{ type: "text", text: prompt }] });
  const schema = schemaFlag(flags.jsonSchema);
  const request: ChatRequest = {
    messages,
    ...(chat ? {} : { rawPrompt: prompt }),
    temperature: numberFlag("--temperature", flags.temperature) ?? DEFAULT_TEMPERATURE,
  };
  const optional: Array<[keyof ChatRequest, number | undefined]> = [
    ["topP", numberFlag("--top-p", flags.topP)],
    ["topK", numberFlag("--top-k", flags.topK, { integer: true })],
    ["minP", numberFlag("--min-p", flags.minP)],
    ["repeatPenalty", numberFlag("--repeat-penalty", flags.repeatPenalty)],
    ["seed", numberFlag("--seed", flags.seed, { integer: true })],
    ["maxOutputTokens", numberFlag("--max-tokens", flags.maxTokens, { integer: true })],
  ];
  for (const [key, value] of optional) if (value !== undefined) Object.assign(request, { [key]: value });
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
