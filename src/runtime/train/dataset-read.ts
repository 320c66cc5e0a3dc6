import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { ChatExample } from "../../engine/train-tokens.js";
import type { Message } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";

const message = z.union([
  z.object({ role: z.literal("system"), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({
    role: z.literal("assistant"),
    content: z.string(),
    tool_calls: z.array(z.object({ id: z.string(), function: z.object({ name: z.string(), arguments: z.string() }) })).optional(),
  }),
  z.object({ role: z.literal("tool"), tool_call_id: z.string(), name: z.string(), content: z.string() }),
]);
const example = z.object({ messages: z.array(message), weight: z.number().min(0), label: z.boolean().optional() });

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A dataset line's chat-format messages as canonical ones (tool calls kept as calls). */
function toMessages(messages: z.infer<typeof message>[]): Message[] {
  return messages.map((m): Message => {
    if (m.role === "system") return { role: "system", content: m.content };
    if (m.role === "user") return { role: "user", content: [{ type: "text", text: m.content }] };
    if (m.role === "tool") return { role: "tool", content: [{ type: "tool-result", toolCallId: m.tool_call_id, toolName: m.name, output: m.content }] };
    const calls = (m.tool_calls ?? []).map((c) => ({ type: "tool-call" as const, toolCallId: c.id, toolName: c.function.name, input: parseArguments(c.function.arguments) }));
    return { role: "assistant", content: [...(m.content ? [{ type: "text" as const, text: m.content }] : []), ...calls] };
  });
}

/** A dataset's examples for supervised training, and how many lines were left out and why. */
export interface DatasetRead {
  examples: ChatExample[];
  /** Lines in the file with an example. */
  total: number;
  /** Bad answers with no correction (label false). */
  negative: number;
  /** Examples weighing 0. */
  unweighted: number;
}

/**
 * Reads a `wren train export` dataset (JSONL of {messages, weight, label}) for supervised
 * training: negative examples (label false, a bad answer with no correction) are left out, since
 * learning them would teach the very answer that was rated bad.
 */
export async function readDataset(file: string): Promise<DatasetRead> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new WrenError("not_found", `No dataset at ${file}.`, { cause, hint: "Make one with `wren train export`, or pass --dataset FILE." });
  }
  const read: DatasetRead = { examples: [], total: 0, negative: 0, unweighted: 0 };
  for (const [index, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    let parsed: z.infer<typeof example>;
    try {
      parsed = example.parse(JSON.parse(line));
    } catch (cause) {
      throw new WrenError("bad_request", `Line ${index + 1} of ${file} is not a chat example ({messages, weight}).`, { cause, hint: "Use a dataset written by `wren train export`." });
    }
    read.total++;
    if (parsed.label === false) read.negative++;
    else if (parsed.weight <= 0) read.unweighted++;
    else read.examples.push({ messages: toMessages(parsed.messages), weight: parsed.weight });
  }
  return read;
}

export async function readDatasetExamples(file: string): Promise<ChatExample[]> {
  return (await readDataset(file)).examples;
}

/** The examples to train on; a dataset with none is an error that says why. */
export async function trainableExamples(file: string): Promise<ChatExample[]> {
  const read = await readDataset(file);
  if (read.examples.length > 0) return read.examples;
  const hint = "Rate some answers good, or bad with a correction (the better answer), then run `wren train export` again.";
  if (read.total === 0) throw new WrenError("bad_request", `The dataset ${file} is empty.`, { hint });
  const one = read.total === 1;
  const what =
    read.unweighted === 0
      ? `${one ? "only example is a bad answer" : `${read.total} examples are all bad answers`} with no correction (label false), which supervised training skips`
      : read.negative === 0
        ? `${one ? "only example weighs" : `${read.total} examples all weigh`} 0`
        : `${read.total} examples are ${read.negative} bad answers with no correction (label false) and ${read.unweighted} weighing 0`;
  throw new WrenError("bad_request", `The dataset ${file} has no example to learn from: its ${what}.`, { hint });
}
