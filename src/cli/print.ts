import { loadConfig } from "../config/index.js";
import { agentLocalContext, openAgentRun, startEnvironmentFacts } from "../runtime/agent.js";
import { deserializeError, exitCodeOf, serializeError, WrenError } from "../shared/errors.js";
import { agentConfigFlags } from "./agent-config-flags.js";
import { createPrinter, type RunReport } from "./agent-output.js";
import { daemonNoticeText } from "./daemon-notice-text.js";
import type { PrintFlags } from "./commands/print.js";
import { cancelOnSignals, signalExitCode, type CancelSignal } from "./cancel-signals.js";
import { reportError } from "./report-error.js";
import { readPrompt } from "./read-prompt.js";
import { modelGivenAsPrompt } from "./run-model-word.js";
import { damagedRecordsNotice } from "./continuing-notice.js";

function maxTurnsOf(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(flag)) {
    throw new WrenError("bad_request", `--max-turns must be a positive whole number, not "${flag}".`, { hint: "For example: wren -p --max-turns 10 \"fix the failing test\"" });
  }
  return Number(flag);
}

/**
 * The exit status of a finished run: 0 done (or a plan), 1 at --max-turns, 130 cancelled (or 128 +
 * the number of the signal that cancelled it: 143 for SIGTERM, 129 for SIGHUP), the error's own
 * code otherwise.
 */
export function exitStatusOf(report: RunReport, cancelledBy?: CancelSignal): number {
  const { outcome } = report;
  switch (outcome.reason) {
    case "done":
    case "plan":
      return 0;
    case "max-turns":
      return 1;
    case "cancelled":
      return cancelledBy ? signalExitCode(cancelledBy) : 130;
    case "error":
      return outcome.error ? exitCodeOf(deserializeError(outcome.error)) : 1;
  }
}

/**
 * `wren -p`: one task, no questions: anything that would ask is refused and reported. Ctrl+C,
 * SIGTERM and SIGHUP cancel the model's generation and the tools at once, and the run ends with
 * its result; a second signal exits.
 */
export async function runPrint(words: string[], flags: PrintFlags): Promise<number> {
  const controller = new AbortController();
  using signals = cancelOnSignals(controller, [process.stdout, process.stderr]);
  const printer = createPrinter(flags.outputFormat);
  // The session a failed run's result names: null until one is open, and where the run kept none.
  let keptSession = (): string | null => null;
  try {
    const maxTurns = maxTurnsOf(flags.maxTurns);
    const modelWord = flags.model === undefined ? modelGivenAsPrompt(words, "wren -p") : undefined;
    if (modelWord) throw modelWord;
    const cwd = process.cwd();
    // A new session's git status runs while the config loads (both come before the first request).
    const environment = flags.resume === undefined && !flags.continue ? startEnvironmentFacts(cwd) : undefined;
    const [prompt, loaded] = await Promise.all([readPrompt(words, 'wren -p "fix the failing test"'), loadConfig(agentConfigFlags(flags))]);
    const { config } = loaded;
    await using opened = await openAgentRun({
      config,
      localContextSize: agentLocalContext(loaded),
      model: flags.model,
      mode: flags.permissionMode,
      allow: flags.allow,
      deny: flags.deny,
      trustProject: flags.trustProject ?? false,
      maxTurns,
      continueLast: flags.continue ?? false,
      resume: flags.resume,
      cwd,
      ...(environment ? { environment } : {}),
      offline: flags.offline ?? false,
      daemon: flags.daemon,
      // On stderr, whatever the output format: stdout holds the answer (or its JSON) alone.
      onDaemonNotice: (notice) => void process.stderr.write(`${daemonNoticeText(notice)}\n`),
      signal: controller.signal,
      // A new session that failed before any answer holds nothing to continue: it is not kept,
      // unless its id was given out already (stream-json's first line), which must stay valid.
      discardUnanswered: flags.outputFormat !== "stream-json",
    });
    const { header } = opened.session;
    keptSession = () => (opened.sessionKept() ? header.id : null);
    // On stderr, as the daemon's notices: a continued session whose transcript lost records to a failed write says so.
    const damaged = damagedRecordsNotice(header.id, opened.session.damagedRecords);
    if (damaged !== undefined) process.stderr.write(`wren: session ${header.id}: ${damaged}\n`);
    const mcpFailures = opened.mcpFailures.map((f) => ({ server: f.server, ...(f.tool === undefined ? {} : { tool: f.tool }), error: serializeError(f.error) }));
    printer.start({ id: header.id, model: flags.model ?? header.model, mode: opened.session.mode, cwd: header.cwd, mcpFailures });
    const run = opened.run(prompt);
    let next = await run.next();
    while (!next.done) {
      printer.event(next.value);
      next = await run.next();
    }
    const report: RunReport = { outcome: next.value, sessionId: keptSession(), costUsd: opened.costUsd(), mcpFailures };
    printer.end(report);
    if (report.outcome.error) reportError(deserializeError(report.outcome.error), process.stderr, { hintBelow: true });
    return exitStatusOf(report, signals.received);
  } catch (error) {
    // json and stream-json end with a result however the run ends, start-up errors included.
    printer.failed(error, keptSession());
    const code = reportError(error, process.stderr, { hintBelow: true });
    // Cancelled while starting (MCP servers connecting): the status says which signal did it.
    return signals.received ? signalExitCode(signals.received) : code;
  }
}
