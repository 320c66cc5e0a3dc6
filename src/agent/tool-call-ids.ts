import { randomUUID } from "node:crypto";
import type { Message, ToolCallPart } from "../protocol/index.js";

/** What every provider takes as a call id: Anthropic's characters, OpenAI's length. */
const VALID_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** A model's calls made fit to send back: `run` to judge and run, `sent` for the conversation. */
export interface FittedCalls {
  /** The calls with ids every provider accepts, their input as the model wrote it (the tool runner tells it what was wrong). */
  run: ToolCallPart[];
  /** The same calls, each input an object (invalid arguments become `{}`: the call's error result quotes them). */
  sent: ToolCallPart[];
}

/**
 * Gives each call an id no earlier call in the conversation or the answer has, in characters every
 * provider accepts: Ollama numbers its calls from `call_0` in every answer, and some servers send
 * empty or repeated ids, which Anthropic and OpenAI refuse when the conversation goes back to them
 * (under `auto`, a teacher may answer the turn after a local model). Ids that are fine are kept.
 */
export function fitToolCalls(calls: readonly ToolCallPart[], earlier: readonly Message[]): FittedCalls {
  const used = new Set<string>();
  for (const m of earlier) {
    if (m.role === "assistant") for (const p of m.content) if (p.type === "tool-call") used.add(p.toolCallId);
  }
  const run = calls.map((call) => {
    let id = call.toolCallId;
    if (!VALID_ID.test(id) || used.has(id)) id = `call_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
    used.add(id);
    return id === call.toolCallId ? call : { ...call, toolCallId: id };
  });
  const sent = run.map((call) => (isObject(call.input) ? call : { ...call, input: {} }));
  return { run, sent };
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
