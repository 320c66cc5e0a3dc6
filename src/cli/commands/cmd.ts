import { Option, type Command } from "commander";

export interface CmdFlags {
  check?: string;
  shell?: string;
  json?: boolean;
  output?: string;
  jsonl?: boolean;
  model?: string;
  safety: "strict" | "moderate" | "permissive";
  execute?: boolean;
  dryRun?: boolean;
  offline?: boolean;
  maxTokens?: string;
  /** False with `--no-daemon`. */
  daemon: boolean;
}

/** `wren cmd`: describe a task, get a command for this machine, see its risk, then run, edit, explain or abort. */
export function registerCmd(program: Command): void {
  program
    .command("cmd")
    .description("turn a task description into a shell command, rate its risk, then run, edit, explain or abort it")
    .argument("[request...]", "what the command should do, in plain words")
    .option("--check <command>", "only rate a command (no model); `-` reads one command per line from stdin")
    .option("-s, --shell <shell>", "bash, zsh, fish, sh or powershell (default: detected from $SHELL)")
    .option("-o, --output <format>", "print the result for scripts instead of the interactive menu: json, yaml or plain (the command alone)")
    .option("--json", "the same as --output json")
    .option("--jsonl", 'with --check -: read JSON lines {"command","shell","cwd","id"} and answer one JSON line each')
    .option("-m, --model <ref>", "GGUF file path or model reference, or auto | ROUTE | provider:model through the router (default: cmd.model, else models.default; a running wren daemon serving it answers)")
    .addOption(
      new Option("--safety <level>", "what runs without asking: strict (nothing), moderate (safe), permissive (up to moderate)")
        .choices(["strict", "moderate", "permissive"])
        .default("moderate"),
    )
    .option("-x, --execute", "run the command without the menu when its risk allows it")
    .option("--dry-run", "show the command and its risk, never run it")
    .option("--offline", "never touch the network")
    .option("--no-daemon", "load the local model in this process even when a running wren daemon serves it")
    .option("-n, --max-tokens <n>", "most tokens the model may use for its answer (default 512)")
    .action(async (request: string[], flags: CmdFlags) => {
      const { parseShellKind, detectShell } = await import("../../shell/detect.js");
      const shell = flags.shell ? parseShellKind(flags.shell) : detectShell();
      if (flags.check !== undefined) {
        // --output is checked only when given: a plain check loads nothing it does not use (start-up).
        const format = flags.output === undefined ? (flags.json ? "json" : undefined) : (await import("../cmd-output.js")).checkOutputFormat(flags.output, flags.json);
        if (flags.check.trim() === "") {
          const { WrenError } = await import("../../shared/errors.js");
          throw new WrenError("bad_request", "--check was given an empty command: there is nothing to rate.", { hint: "Pass the command to rate, e.g. wren cmd --check 'rm -rf build', or - to read commands from stdin." });
        }
        // --check takes the next argument whatever it is: rating an option or half a command line would say safe about the wrong thing.
        const { isCmdOption } = await import("../fast-check-args.js");
        if (isCmdOption(flags.check)) {
          const { WrenError } = await import("../../shared/errors.js");
          throw new WrenError("bad_request", `--check was given wren cmd's own option ${flags.check} where the command to rate goes.`, {
            hint: "Put the command, quoted, right after --check and the options after it, e.g. wren cmd --check 'rm -rf build' --shell bash --json.",
          });
        }
        if (request.length > 0) {
          const { WrenError } = await import("../../shared/errors.js");
          throw new WrenError("bad_request", `--check rates one command line, given as its value (${flags.check}); these words were left over: ${request.join(" ")}.`, {
            hint: "Quote the whole command line after --check, e.g. wren cmd --check 'rm -rf build dist' --json, or pass - to read commands from stdin.",
          });
        }
        const { runCheckMode } = await import("../../shell/check-mode.js");
        process.exitCode = await runCheckMode({ command: flags.check, shell, json: format === "json" || flags.jsonl === true, jsonl: flags.jsonl === true });
        return;
      }
      const { numberFlag } = await import("../parse-flags.js");
      const { runCmd } = await import("../../runtime/cmd.js");
      const maxTokens = numberFlag("--max-tokens", flags.maxTokens, { integer: true });
      if (maxTokens !== undefined && maxTokens < 1) {
        const { WrenError } = await import("../../shared/errors.js");
        throw new WrenError("bad_request", `--max-tokens must be at least 1; got ${maxTokens}.`, { hint: "Pass e.g. --max-tokens 512." });
      }
      const { statsLine } = await import("../run-request.js");
      const { visibleText } = await import("../../shared/visible-text.js");
      const { cmdOutputFormat, formatCmdResult } = await import("../cmd-output.js");
      const output = cmdOutputFormat(flags.output, flags.json);
      const { maxTokens: _, json: _json, output: _output, ...rest } = flags;
      process.exitCode = await runCmd(request.join(" "), {
        ...rest,
        shell,
        ...(maxTokens === undefined ? {} : { maxTokens }),
        ...(output === undefined ? {} : { report: (result) => void process.stdout.write(formatCmdResult(result, output)) }),
        // Who answered goes to stderr when the router chose (as `wren run` prints it); json and yaml carry it instead.
        onAnswer: (answer, totalMs) => {
          const p = answer.provenance;
          if (output === "json" || output === "yaml" || !p) return;
          process.stderr.write(`${statsLine(answer.usage, undefined, totalMs)}, answered by ${visibleText(`${p.provider}:${p.model} (route ${p.route ?? "-"}, reason ${p.reason})`, { oneLine: true })}\n`);
        },
      });
    });
}
