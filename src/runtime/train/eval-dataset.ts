import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { AssistantMessage, Message } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";

const toolCall = z.object({ id: z.string(), type: z.literal("function"), function: z.object({ name: z.string(), arguments: z.string() }) });
const message = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({ role: z.literal("assistant"), content: z.string().nullish(), tool_calls: z.array(toolCall).optional() }),
  z.object({ role: z.literal("tool"), tool_call_id: z.string(), name: z.string().optional(), content: z.string() }),
]);
/** One line of `eval.jsonl` as `wren train export` writes it; only what evaluation reads is required. */
const exampleSchema = z.object({
  messages: z.array(message).min(1),
  label: z.boolean().optional(),
  id: z.string().optional(),
});

/** The held-back slice, ready to score. */
export interface EvalDataset {
  /** The file read. */
  file: string;
  /** sha256 of its bytes: evaluations of the same slice compare. */
  sha256: string;
  /** Conversations ending with the reference answer. */
  examples: Message[][];
  /** Negative examples (a bad answer no one corrected): not a reference to move towards. */
  negatives: number;
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A chat-format example (OpenAI's shape) as canonical messages. */
export function fromChatFormat(messages: ReadonlyArray<z.infer<typeof message>>): Message[] {
  const names = new Map<string, string>();
  const out: Message[] = [];
  for (const m of messages) {
    if (m.role === "system") out.push({ role: "system", content: m.content });
    else if (m.role === "user") out.push({ role: "user", content: [{ type: "text", text: m.content }] });
    else if (m.role === "assistant") {
      const content: AssistantMessage["content"] = m.content ? [{ type: "text", text: m.content }] : [];
      for (const call of m.tool_calls ?? []) {
        names.set(call.id, call.function.name);
        content.push({ type: "tool-call", toolCallId: call.id, toolName: call.function.name, input: parseArguments(call.function.arguments) });
      }
      out.push({ role: "assistant", content });
    } else {
      const part = { type: "tool-result" as const, toolCallId: m.tool_call_id, toolName: m.name ?? names.get(m.tool_call_id) ?? "tool", output: m.content };
      const previous = out.at(-1);
      // Results of one assistant turn's calls travel in one tool message, as the canonical contract has them.
      if (previous?.role === "tool") previous.content.push(part);
      else out.push({ role: "tool", content: [part] });
    }
  }
  return out;
}

/**
 * Reads the evaluation slice: `eval.jsonl` itself, or a folder holding it (what `wren train export
 * --out` wrote). Each line must be an example whose last message is the assistant's answer.
 */
export async function readEvalDataset(location: string): Promise<EvalDataset> {
  const absolute = path.resolve(location);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    throw new WrenError("not_found", `No evaluation data at ${absolute}.`, { hint: "Run `wren train export` first, or pass --dataset with its eval.jsonl (or the folder holding it)." });
  }
  const file = info.isDirectory() ? path.join(absolute, "eval.jsonl") : absolute;
  const bytes = await readFile(file).catch((cause: unknown) => {
    throw new WrenError("not_found", `Cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}.`, { cause, hint: "Pass --dataset with the eval.jsonl that `wren train export` wrote." });
  });
  const examples: Message[][] = [];
  let negatives = 0;
  const lines = bytes.toString("utf8").split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    let parsed: z.infer<typeof exampleSchema>;
    try {
      parsed = exampleSchema.parse(JSON.parse(line));
    } catch (cause) {
      throw new WrenError("bad_request", `Line ${index + 1} of ${file} is not a dataset example.`, {
        cause,
        hint: "Each line must be {\"messages\": [...]} in the chat format `wren train export` writes; export again.",
      });
    }
    if (parsed.messages.at(-1)?.role !== "assistant") {
      throw new WrenError("bad_request", `Line ${index + 1} of ${file} does not end with the assistant's answer.`, { hint: "Each example's last message is the reference answer; export again." });
    }
    if (parsed.label === false) {
      negatives++;
      continue;
    }
    examples.push(fromChatFormat(parsed.messages));
  }
  if (examples.length === 0) {
    throw new WrenError("bad_request", `${file} holds no example to evaluate on${negatives ? ` (only ${negatives} negative ones)` : ""}.`, {
      hint: "Rate more answers (`wren sessions rate`), export again, or pass --dataset with another slice.",
    });
  }
  return { file, sha256: createHash("sha256").update(bytes).digest("hex"), examples, negatives };
}
