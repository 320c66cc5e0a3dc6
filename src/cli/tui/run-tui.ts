import path from "node:path";
import { loadConfig, type WrenConfig } from "../../config/index.js";
import { WrenError } from "../../shared/errors.js";
import { resolvePaths } from "../../shared/paths.js";
import { userSettingsFile } from "../../permissions/settings-file.js";
import { agentConfigFlags } from "../agent-config-flags.js";
import { daemonNoticeText } from "../daemon-notice-text.js";
import type { PrintFlags } from "../commands/print.js";
import { reportError } from "../report-error.js";
import type { FirstFrame } from "./first-frame.js";
import { MAX_FPS } from "./frame-throttle.js";
import { PromptHistory } from "./history.js";
import { BRACKETED_PASTE_OFF } from "./input/key-splitter.js";
import { SplitStdin } from "./input/split-stdin.js";
import { offersSetup } from "./first-run.js";
import { idleSuggestions } from "./idle-suggestions.js";
import type { RunChoice } from "./run-choice.js";
import type { OpenedAgentRun } from "../../runtime/agent.js";
import type { DaemonNotice } from "../../runtime/daemon-notice.js";
import { SessionController } from "./session-controller.js";
import { loadTheme } from "./theme-settings.js";

/**
 * `wren` (or `wren "first prompt"`) in a terminal: the assistant's interactive session. The screen
 * is up before the session opens (config, MCP servers, the system prompt); a prompt typed meanwhile
 * waits for it. Returns the exit status once the person leaves (/quit, Ctrl+C twice).
 */
export async function runTui(words: string[], flags: PrintFlags, firstFrame?: FirstFrame): Promise<number> {
  let loaded;
  try {
    if (flags.maxTurns !== undefined && !/^[1-9]\d*$/.test(flags.maxTurns)) {
      throw new WrenError("bad_request", `--max-turns must be a positive whole number, not "${flags.maxTurns}".`, { hint: "For example: wren --max-turns 10" });
    }
    // Ink (with its layout engine) is most of the time to the first frame; the config loads meanwhile.
    loaded = await Promise.all([import("ink"), import("react"), import("./components/app.js"), loadConfig(agentConfigFlags(flags)), loadTheme(userSettingsFile())]);
  } catch (error) {
    firstFrame?.abandon();
    return reportError(error);
  }
  const [{ render }, { createElement }, { App }, configLoad, { theme, problem: themeProblem }] = loaded;
  const { config } = configLoad;
  const history = new PromptHistory(path.join(resolvePaths(process.env).dataDir, "prompt-history.jsonl"));
  const session = new AbortController();
  const choice: RunChoice = { model: flags.model, offline: flags.offline ?? false, disabledMcpServers: [], resume: flags.resume };
  // The same daemon is reached again when /model and the like reopen the run: each notice is shown once.
  const daemonNoticesShown = new Set<string>();
  const daemonNotice = (notice: DaemonNotice): void => {
    const text = daemonNoticeText(notice).replace(/^wren: /, "");
    if (daemonNoticesShown.has(text)) return;
    daemonNoticesShown.add(text);
    controller.notice({ tone: "info", text });
  };
  // /model, /local, /mcp and /resume open the run again with their change; the rest stays as started.
  // Every session this terminal UI held: one left without a prompt is not kept (see the end).
  const sessionsHeld = new Set<string>();
  const open = async (choice: RunChoice, config: WrenConfig, continueLast = false): Promise<OpenedAgentRun> => {
    // Loaded after the first frame: the agent's modules are not needed to draw the prompt.
    const { agentLocalContext, openAgentRun } = await import("../../runtime/agent.js");
    const run = await openAgentRun({
      config,
      // A context the session changed is its own; otherwise as set where the config loaded from.
      localContextSize: config.engine.contextSize === configLoad.config.engine.contextSize ? agentLocalContext(configLoad) : config.engine.contextSize,
      model: choice.model,
      mode: flags.permissionMode,
      allow: flags.allow,
      deny: flags.deny,
      trustProject: flags.trustProject ?? false,
      maxTurns: flags.maxTurns === undefined ? undefined : Number(flags.maxTurns),
      continueLast,
      resume: choice.resume,
      cwd: process.cwd(),
      offline: choice.offline,
      daemon: flags.daemon,
      // The prompt is ready at once: the daemon loads the local model meanwhile (the controller starts it).
      loadInBackground: true,
      onDaemonNotice: daemonNotice,
      signal: session.signal,
      interaction: controller.interaction,
      cloudConsent: controller.cloudConsent,
      askUser: controller.askUser,
      disabledMcpServers: choice.disabledMcpServers,
    });
    sessionsHeld.add(run.session.id);
    return run;
  };
  const controller: SessionController = new SessionController({
    config,
    model: flags.model ?? "auto",
    history,
    cwd: process.cwd(),
    choice,
    theme,
    open: (c, conf) => open(c, conf),
    // /mcp reload reads the config as this session did, its flags applied.
    reloadConfig: async () => (await loadConfig(agentConfigFlags(flags))).config,
  });
  if (themeProblem) controller.error(themeProblem);
  // Ink draws its first frame in place of the one drawn before it loaded (first-frame.ts).
  firstFrame?.handOver();
  // The terminal marks pastes while Ink reads keys (input/split-stdin.ts turns it off with raw mode);
  // a crash that skips Ink's clean-up still turns it off.
  const pasteOff = (): void => void process.stdout.write(BRACKETED_PASTE_OFF);
  process.once("exit", pasteOff);
  const instance = render(createElement(App, { controller }), {
    stdin: new SplitStdin(process.stdin, process.stdout) as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    // A library that logs to the console prints above the live region instead of through it.
    patchConsole: true,
    maxFps: MAX_FPS,
    // Terminals that speak the kitty keyboard protocol (kitty, WezTerm, ghostty) report Shift+Enter
    // apart from Enter; elsewhere `\` then Enter makes a new line.
    kittyKeyboard: { mode: "auto" },
  });

  if (offersSetup(configLoad)) {
    controller.notice({ tone: "info", text: "wren has no configuration yet, so it runs on its defaults.", hint: "Type /setup to pick a local model, cloud providers and their keys now (as wren setup does), or just type a prompt." });
  }
  // After the first frame: what the empty prompt suggests comes from the project (git, scripts, README).
  void idleSuggestions(controller.files.root).then((s) => controller.suggest(s), () => undefined);
  const opening = open(choice, config, flags.continue ?? false);
  const opened = await opening.then(
    (run) => (controller.attach(run), run),
    (error: unknown) => (controller.failedToOpen(error), undefined),
  );
  const first = words.join(" ").trim();
  if (first && opened) {
    controller.history.add(first);
    void controller.prompt(first);
  }
  await instance.waitUntilExit().finally(() => process.off("exit", pasteOff));
  session.abort();
  // A turn cancelled by leaving ends (and says so in its transcript) before the session closes.
  await controller.settled();
  // The controller holds the run now: /model and the like may have opened another.
  const carried = controller.run?.session.id;
  await controller.close();
  // Kept while the UI ran (/model reopens the same session), removed now if still empty: opened and
  // quit before any prompt, or left for another by /resume, it holds nothing to continue.
  const { removeEmptyAgentSession } = await import("../../runtime/agent-sessions.js");
  const removed = [...sessionsHeld].filter((id) => removeEmptyAgentSession(id));
  // Offered for as long as it is kept: prompts on record, even if each failed before an answer.
  const resume = carried !== undefined && !removed.includes(carried) ? carried : undefined;
  if (controller.setupRequested) return setupThenReturn(flags, resume);
  // The session is saved as it goes: the terminal is left with how to come back to it.
  if (resume) process.stdout.write(`To continue this session: wren --resume ${resume}\n`);
  return 0;
}

/** /setup: the wizard in the terminal the session left, then the session again with the new configuration. */
async function setupThenReturn(flags: PrintFlags, resume: string | undefined): Promise<number> {
  try {
    const { runSetup } = await import("../setup/run-setup.js");
    const result = await runSetup({ offline: flags.offline ?? false });
    process.stdout.write(result.written ? `Saved ${result.path}.\n` : "Setup cancelled: nothing was written.\n");
  } catch (error) {
    return reportError(error);
  }
  // The first prompt was sent already: coming back does not send it again.
  return runTui([], resume ? { ...flags, resume, continue: false } : flags);
}
