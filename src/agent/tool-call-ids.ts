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

/**
 * Makes the call ids of a conversation read back from a transcript unique and valid, in place: older
 * versions recorded Ollama's `call_0` in every answer, which Anthropic and OpenAI refuse once the
 * session is resumed with them. The first use of an id keeps it; a later one gets a new id, and the
 * results after its answer that name it are renamed with it, in order, so each still answers its
 * own call. The new ids follow from the transcript alone, so a session resumed twice is sent alike.
 */
export function fitTranscriptIds(messages: Message[]): void {
  const taken = new Set<string>();
  for (const m of messages) if (m.role === "assistant" || m.role === "tool") for (const p of m.content) if (p.type === "tool-call" || p.type === "tool-result") taken.add(p.toolCallId);
  const used = new Set<string>();
  /** The new ids of the last answer's renamed calls, by old id, in call order. */
  let renamed = new Map<string, string[]>();
  messages.forEach((m, i) => {
    if (m.role === "assistant") {
      renamed = new Map();
      if (!m.content.some((p) => p.type === "tool-call" && (!VALID_ID.test(p.toolCallId) || used.has(p.toolCallId)))) {
        for (const p of m.content) if (p.type === "tool-call") used.add(p.toolCallId);
        return;
      }
      const content = m.content.map((p) => {
        if (p.type !== "tool-call") return p;
        let id = p.toolCallId;
        if (!VALID_ID.test(id) || used.has(id)) {
          const base = `${id.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 24) || "call"}_r`;
          let n = 1;
          while (taken.has(`${base}${n}`) || used.has(`${base}${n}`)) n++;
          id = `${base}${n}`;
        }
        used.add(id);
        const queue = renamed.get(p.toolCallId) ?? [];
        queue.push(id);
        renamed.set(p.toolCallId, queue);
        return id === p.toolCallId ? p : { ...p, toolCallId: id };
      });
      messages[i] = { ...m, content };
    } else if (m.role === "tool" && renamed.size > 0) {
      const content = m.content.map((r) => {
        const id = renamed.get(r.toolCallId)?.shift();
        return id === undefined || id === r.toolCallId ? r : { ...r, toolCallId: id };
      });
      messages[i] = { ...m, content };
    }
  });
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
