import { z } from "zod";
import { resultText, type ChatRequest, type JsonSchema, type LanguageModel, type Message, type Provenance, type Usage } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import type { MachineProfile } from "./detect.js";

/** What the model answers: one command, a short explanation, and what it assumed. */
export interface GeneratedCommand {
  command: string;
  explanation: string;
  assumptions: string[];
}

/** The JSON shape the model's output is constrained to (by grammar on local models). */
export const GENERATED_COMMAND_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    command: { type: "string" },
    explanation: { type: "string" },
    assumptions: { type: "array", items: { type: "string" } },
  },
  required: ["command", "explanation", "assumptions"],
  additionalProperties: false,
};

/** A generated command with who answered it (the router sets `provenance`) and what it cost. */
export interface GeneratedAnswer extends GeneratedCommand {
  usage: Usage;
  provenance?: Provenance;
}

const answerSchema = z.object({
  command: z.string(),
  explanation: z.string(),
  assumptions: z.array(z.string()),
});

export interface GenerateCommandOptions {
  /** A previous attempt and what the user wants changed (the Revise choice). */
  revise?: { command: string; feedback: string };
  /** Default 512: enough for a long command, its explanation and a few assumptions. */
  maxOutputTokens?: number;
  /** Default 0 (greedy): commands want no variety, and the same task gives the same command. */
  temperature?: number;
  signal?: AbortSignal;
}

const SHELL_NAMES: Record<MachineProfile["shell"], string> = { bash: "bash", zsh: "zsh", sh: "POSIX sh", fish: "fish", powershell: "PowerShell" };

/** The system prompt: the machine the command must fit. */
export function systemPrompt(machine: MachineProfile): string {
  const shell = SHELL_NAMES[machine.shell];
  const tools = machine.coreutils === "unknown" ? "" : ` Core tools (sed, find, date, stat, xargs) are the ${machine.coreutils} versions; use their flags.`;
  return [
    `You turn a task into one ${shell} command line for ${machine.os}.${tools}`,
    "Prefer safe, read-only commands; never delete or overwrite more than the task asks.",
    'Answer only with JSON: {"command": the command, "explanation": one or two sentences, "assumptions": what you assumed}.',
  ].join("\n");
}

/** Builds the request: the machine in the system prompt, the task (and any revision) as the user's words. */
export function commandRequest(task: string, machine: MachineProfile, options: GenerateCommandOptions = {}): ChatRequest {
  const messages: Message[] = [
    { role: "system", content: systemPrompt(machine) },
    { role: "user", content: [{ type: "text", text: task }] },
  ];
  if (options.revise) {
    messages.push(
      { role: "assistant", content: [{ type: "text", text: JSON.stringify({ command: options.revise.command }) }] },
      { role: "user", content: [{ type: "text", text: `Change the command: ${options.revise.feedback}` }] },
    );
  }
  return {
    messages,
    temperature: options.temperature ?? 0,
    maxOutputTokens: options.maxOutputTokens ?? 512,
    responseFormat: { type: "json", schema: GENERATED_COMMAND_SCHEMA, name: "shell_command" },
  };
}

/** Asks the model for a command and validates its answer. */
export async function generateCommand(
  model: LanguageModel,
  task: string,
  machine: MachineProfile,
  options: GenerateCommandOptions = {},
): Promise<GeneratedAnswer> {
  const result = await model.doGenerate(commandRequest(task, machine, options), options.signal ? { signal: options.signal } : {});
  const text = resultText(result);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const cut = result.finishReason === "length";
    throw new WrenError("upstream_error", `The model's answer is not valid JSON${cut ? " (it ran out of tokens)" : ""}.`, {
      hint: cut ? "Allow more tokens with --max-tokens, or ask for a shorter command." : "Try again, or use a model that follows JSON instructions.",
      cause,
    });
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    throw new WrenError("upstream_error", "The model's answer does not have the command, explanation and assumptions fields.", {
      hint: "Try again, or use a model that follows JSON instructions.",
      cause: parsed.error,
    });
  }
  const command = parsed.data.command.trim();
  if (command === "") {
    throw new WrenError("upstream_error", "The model answered with an empty command.", { hint: "Describe the task in more detail and try again." });
  }
  return { ...parsed.data, command, usage: result.usage, ...(result.provenance ? { provenance: result.provenance } : {}) };
}
