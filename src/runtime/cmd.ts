import os from "node:os";
import { loadConfig } from "../config/index.js";
import { WrenError } from "../shared/errors.js";
import { printableText } from "../shared/visible-text.js";
import { createShellAnalyzer } from "../shell/analyze.js";
import { copyToClipboard } from "../shell/clipboard.js";
import { detectMachine } from "../shell/detect.js";
import { executeCommand } from "../shell/exec.js";
import { generateCommand, type GeneratedAnswer } from "../shell/generate.js";
import { createTerminalPrompter, interact, runsWithoutAsking, type SafetyLevel } from "../shell/interact.js";
import { renderAnalysis, useColor } from "../shell/render.js";
import type { ShellKind } from "../shell/types.js";
import { terminalCloudConsent } from "./cloud-consent-prompt.js";
import { runningDaemonModel } from "./cmd-daemon.js";
import { daemonRefTarget } from "./daemon-preferred.js";
import { defaultModel, type DefaultModel } from "./default-model.js";
import { isRoutedModelName } from "./routed-name.js";
import { openRoutedModel } from "./routed-run.js";

/** What `wren cmd` reports for scripts (`--output json|yaml`); `plain` is its command alone. */
export interface CmdResult {
  command: string;
  explanation: string;
  assumptions: string[];
  shell: ShellKind;
  risk: string;
  reasons: Array<{ category: string; detail: string }>;
  /**
   * Who answered when the router chose (`--model auto|ROUTE|provider:model`) or a running daemon's
   * local model did (`reason: "daemon"`); null for a model loaded in this process.
   */
  provenance: GeneratedAnswer["provenance"] | null;
  usage: GeneratedAnswer["usage"];
  /** The running wren daemon that answered, when one did. */
  daemon?: { url: string };
}

export interface RunCmdOptions {
  shell: ShellKind;
  /**
   * Report the result for scripts instead of the menu, never running anything: the CLI prints it as
   * JSON, YAML or the plain command (`--output`).
   */
  report?: (result: CmdResult) => void;
  /**
   * GGUF path or model reference, or what the router answers: `auto`, a route name or
   * `provider:model` (as `wren run --model`). Default: `cmd.model`, else `models.default`.
   */
  model?: string;
  /** What runs without asking with `execute`. */
  safety: SafetyLevel;
  /** Run without the menu when the risk is within `safety`; otherwise fall back to the menu. */
  execute?: boolean;
  /** Show the command and its risk, never run it. */
  dryRun?: boolean;
  offline?: boolean;
  /** Output token limit for the model's answer. */
  maxTokens?: number;
  /**
   * Ask a wren daemon that is already running and serves the local model, instead of loading it in
   * this process (none is started for this). False (`--no-daemon`) always loads it here. Default: true.
   */
  daemon?: boolean;
  /** Told who answered and what it cost, once the model has answered (the CLI prints its stats line). */
  onAnswer?: (answer: GeneratedAnswer, totalMs: number) => void;
}

/**
 * With no model named anywhere, a catalog coder that fits this machine writes commands better than
 * the chat default; undefined (the chat default applies) when none fits.
 */
function coderDefault(config: Awaited<ReturnType<typeof loadConfig>>["config"]): DefaultModel | undefined {
  try {
    return defaultModel(config, undefined, undefined, "code");
  } catch (error) {
    if (error instanceof WrenError && error.code === "model_too_large") return undefined;
    throw error;
  }
}

/** Asks the router (`auto`, a route, `provider:model`) or the local model for the command. */
async function generate(request: string, options: RunCmdOptions, machine: ReturnType<typeof detectMachine>): Promise<GeneratedAnswer & { daemon?: { url: string } }> {
  const { config } = await loadConfig();
  const generateOptions = options.maxTokens ? { maxOutputTokens: options.maxTokens } : {};
  // `cmd.model` lets commands use another model (a coder, a teacher) than chat; unset, openLocalModel
  // falls back to `models.default`, else a catalog coder that fits, else the embedded chat default.
  const name = options.model ?? config.cmd.model;
  if (isRoutedModelName(name, config)) {
    // The same router, consent and decisions log as `wren run --model`; a cloud teacher gets the
    // answer's JSON schema as its response_format, and generateCommand validates what comes back.
    await using routed = openRoutedModel({ config, name: name ?? "auto", offline: options.offline ?? false, ask: terminalCloudConsent() });
    return await generateCommand(routed.model, request, machine, generateOptions);
  }
  // A daemon already running with this model answers at once, without a second copy in memory. With
  // no model named and no models.default, the coder default may not be the daemon's model: load it here.
  const ref = name ?? config.models.default;
  const daemon = options.daemon !== false && ref ? await runningDaemonModel(ref, { refTarget: daemonRefTarget(config, ref) }) : undefined;
  if (daemon) {
    const answer = await generateCommand(daemon.model, request, machine, generateOptions);
    return { ...answer, provenance: { provider: "local", model: daemon.model.modelId, reason: "daemon" }, daemon: { url: daemon.url } };
  }
  const embedded = name === undefined && !config.models.default ? coderDefault(config) : undefined;
  // Loaded here, not at the top: it brings in the engine (node-llama-cpp), which a daemon's answer never needs.
  const { openLocalModel } = await import("./local.js");
  await using opened = await openLocalModel({ config, ref: name, embedded, offline: options.offline ?? false, sequences: 1 });
  // `return await`: the model must stay loaded until the answer is in, and `await using` closes it on return.
  return await generateCommand(opened.model, request, machine, generateOptions);
}

/**
 * `wren cmd "<task>"`: the model writes a command for this machine, the safety analysis rates it,
 * then the user decides (or `--output`, `--dry-run`, `-x` decide for scripts). Returns the exit code:
 * the command's own when it ran, 0 for --output/--dry-run, 1 when nothing ran.
 */
export async function runCmd(request: string, options: RunCmdOptions): Promise<number> {
  if (request.trim() === "") {
    throw new WrenError("bad_request", "No task given.", { hint: 'Describe what the command should do: wren cmd "find files over 100 MB modified this week".' });
  }
  const needsMenu = !options.report && !options.dryRun && !options.execute;
  if (needsMenu && !process.stdin.isTTY) {
    throw new WrenError("bad_request", "wren cmd asks before running a command, and stdin is not a terminal.", {
      hint: "Run it in a terminal, or use --dry-run or --output json|yaml|plain to only see the command, or -x to run it when its risk is within --safety.",
    });
  }
  const machine = detectMachine(options.shell);
  const analyzerReady = createShellAnalyzer();
  const started = performance.now();
  const generated = await generate(request, options, machine);
  options.onAnswer?.(generated, performance.now() - started);
  using analyzer = await analyzerReady;
  const where = { shell: options.shell, cwd: process.cwd(), home: os.homedir() };
  const analysis = analyzer.analyze(generated.command, where);

  if (options.report) {
    options.report({
      command: generated.command,
      explanation: generated.explanation,
      assumptions: generated.assumptions,
      shell: options.shell,
      risk: analysis.risk,
      reasons: analysis.reasons.map((r) => ({ category: r.category, detail: r.detail })),
      provenance: generated.provenance ?? null,
      usage: generated.usage,
      ...(generated.daemon ? { daemon: generated.daemon } : {}),
    });
    return 0;
  }
  const color = useColor(process.stdout);
  if (options.dryRun) {
    process.stdout.write(renderAnalysis(generated.command, analysis, color));
    process.stdout.write(`${printableText(generated.explanation)}\n`);
    return 0;
  }
  if (options.execute && runsWithoutAsking(analysis.risk, options.safety)) {
    process.stderr.write(renderAnalysis(generated.command, analysis, useColor(process.stderr)));
    return executeCommand(options.shell, generated.command);
  }
  const refusal = `-x runs only what --safety ${options.safety} allows without asking, and this command is ${analysis.risk}.`;
  if (!process.stdin.isTTY) {
    process.stdout.write(renderAnalysis(generated.command, analysis, color));
    throw new WrenError("forbidden", `Not run: ${refusal}`, {
      hint: "Run wren cmd in a terminal to confirm it, or loosen --safety (permissive runs moderate commands; high and critical ones always ask).",
    });
  }
  if (options.execute) process.stdout.write(`${refusal} Choose below.\n`);
  const prompter = createTerminalPrompter(process.stdin, process.stdout);
  try {
    const result = await interact({
      command: generated.command,
      explanation: generated.explanation,
      assumptions: generated.assumptions,
      analyze: (command) => analyzer.analyze(command, where),
      execute: async (command) => {
        prompter.close();
        return executeCommand(options.shell, command);
      },
      copy: (command) => {
        const how = copyToClipboard(command, process.stdout);
        return how === "none" ? "No clipboard program found (install wl-copy, xclip or xsel)." : "Copied.";
      },
      prompter,
      color,
      safety: options.safety,
    });
    return result.executed ? (result.exitCode ?? 0) : 1;
  } finally {
    prompter.close();
  }
}
