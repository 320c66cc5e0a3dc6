import { createInterface } from "node:readline";
import { printableText, visibleText } from "../shared/visible-text.js";
import { renderAnalysis } from "./render.js";
import { riskRank, type Analysis, type Risk } from "./types.js";

/** What runs without asking: `strict` nothing, `moderate` safe commands, `permissive` safe and moderate ones. */
export type SafetyLevel = "strict" | "moderate" | "permissive";

export const SAFETY_LEVELS: readonly SafetyLevel[] = ["strict", "moderate", "permissive"];

/** Whether a command of this risk may run without the menu (`-x`) at this safety level. */
export function runsWithoutAsking(risk: Risk, safety: SafetyLevel): boolean {
  const limit: Record<SafetyLevel, number> = { strict: -1, moderate: riskRank("safe"), permissive: riskRank("moderate") };
  return riskRank(risk) <= limit[safety];
}

/** Line-based terminal input; `ask` resolves to undefined when input ends (Ctrl-D, Ctrl-C). */
export interface Prompter {
  ask(prompt: string, initial?: string): Promise<string | undefined>;
  write(text: string): void;
  close(): void;
}

export interface InteractOptions {
  command: string;
  explanation?: string;
  assumptions?: string[];
  /** Rates a command (called again after every edit). */
  analyze(command: string): Analysis;
  execute(command: string): Promise<number>;
  /** Copies the command and returns what to tell the user. */
  copy(command: string): string;
  prompter: Prompter;
  color: boolean;
  safety: SafetyLevel;
}

export interface InteractResult {
  command: string;
  analysis: Analysis;
  executed: boolean;
  exitCode?: number;
}

const MENU = "[E]xecute [D]escribe [R]evise [C]opy [A]bort › ";

/**
 * The menu loop: show the command with its risk badge, then execute (with the confirmation its
 * risk needs: typing `yes` for critical), describe, revise (edit and re-check), copy or abort.
 */
export async function interact(options: InteractOptions): Promise<InteractResult> {
  const { prompter } = options;
  let command = options.command;
  let analysis = options.analyze(command);
  let show = true;
  for (;;) {
    if (show) prompter.write(renderAnalysis(command, analysis, options.color));
    show = false;
    const answer = await prompter.ask(MENU);
    if (answer === undefined) return { command, analysis, executed: false };
    const choice = answer.trim().toLowerCase().charAt(0);
    if (choice === "e") {
      if (await confirmed(analysis.risk, options.safety, prompter)) {
        const exitCode = await options.execute(command);
        return { command, analysis, executed: true, exitCode };
      }
      prompter.write("Not run.\n");
    } else if (choice === "d") {
      prompter.write(describe(command, analysis, options));
    } else if (choice === "r") {
      const edited = await prompter.ask("Edit › ", command);
      if (edited === undefined) return { command, analysis, executed: false };
      if (edited.trim() !== "") {
        command = edited.trim();
        analysis = options.analyze(command);
        show = true;
      }
    } else if (choice === "c") {
      prompter.write(options.copy(command) + "\n");
    } else if (choice === "a") {
      prompter.write("Aborted.\n");
      return { command, analysis, executed: false };
    } else {
      prompter.write("Type e, d, r, c or a.\n");
    }
  }
}

async function confirmed(risk: Risk, safety: SafetyLevel, prompter: Prompter): Promise<boolean> {
  if (risk === "critical") {
    const typed = await prompter.ask("This command is CRITICAL. Type yes to run it: ");
    return typed?.trim() === "yes";
  }
  // Choosing Execute is the asking; high commands (and moderate ones under strict) ask once more.
  if (risk === "high" || (risk === "moderate" && safety === "strict")) {
    const typed = (await prompter.ask(`Run this ${risk} command? [y/N] `))?.trim().toLowerCase();
    return typed === "y" || typed === "yes";
  }
  return true;
}

function describe(command: string, analysis: Analysis, options: InteractOptions): string {
  const lines = [`Command: ${visibleText(command)}`];
  if (options.explanation && command === options.command) lines.push(`What it does: ${printableText(options.explanation)}`);
  if (options.assumptions?.length && command === options.command) lines.push(`Assumptions: ${printableText(options.assumptions.join("; "))}`);
  lines.push(`Risk: ${analysis.risk}`);
  if (analysis.reasons.length === 0) lines.push("wren found nothing risky in it.");
  for (const r of analysis.reasons) lines.push(`  - ${r.risk} · ${r.category}: ${visibleText(r.detail, { oneLine: true })}`);
  return lines.join("\n") + "\n";
}

/** A prompter on a terminal (or any streams), built on readline so editing keys work. */
export function createTerminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream & { isTTY?: boolean }): Prompter {
  const rl = createInterface({ input, output, terminal: output.isTTY === true });
  let closed = false;
  let pending: ((value: string | undefined) => void) | undefined;
  const lines: string[] = [];
  rl.on("line", (line) => {
    if (pending) {
      const resolve = pending;
      pending = undefined;
      resolve(line);
    } else lines.push(line);
  });
  rl.on("close", () => {
    closed = true;
    pending?.(undefined);
    pending = undefined;
  });
  return {
    ask(prompt, initial) {
      const queued = lines.shift();
      if (queued !== undefined) {
        output.write(prompt + queued + "\n");
        return Promise.resolve(queued);
      }
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        pending = resolve;
        rl.setPrompt(prompt);
        rl.prompt();
        // readline takes what it is given here as keys typed: a line end in the text would submit
        // the edit, and the text after it answer the prompts that follow (a critical command's
        // `yes` included). The text goes in with its controls and line ends written out, as shown.
        if (initial) rl.write(visibleText(initial, { oneLine: true }));
      });
    },
    write(text) {
      output.write(text);
    },
    close() {
      rl.close();
    },
  };
}
