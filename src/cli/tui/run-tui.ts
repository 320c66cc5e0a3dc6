import path from "node:path";
import { loadConfig } from "../../config/index.js";
import { WrenError } from "../../shared/errors.js";
import { resolvePaths } from "../../shared/paths.js";
import type { PrintFlags } from "../commands/print.js";
import { reportError } from "../report-error.js";
import { MAX_FPS } from "./frame-throttle.js";
import { PromptHistory } from "./history.js";
import { SessionController } from "./session-controller.js";

/**
 * `wren` (or `wren "first prompt"`) in a terminal: the assistant's interactive session. The screen
 * is up before the session opens (config, MCP servers, the system prompt); a prompt typed meanwhile
 * waits for it. Returns the exit status once the person leaves (/quit, Ctrl+C twice).
 */
export async function runTui(words: string[], flags: PrintFlags): Promise<number> {
  let loaded;
  try {
    if (flags.maxTurns !== undefined && !/^[1-9]\d*$/.test(flags.maxTurns)) {
      throw new WrenError("bad_request", `--max-turns must be a positive whole number, not "${flags.maxTurns}".`, { hint: "For example: wren --max-turns 10" });
    }
    // Ink (with its layout engine) is most of the time to the first frame; the config loads meanwhile.
    loaded = await Promise.all([import("ink"), import("react"), import("./components/app.js"), loadConfig({})]);
  } catch (error) {
    return reportError(error);
  }
  const [{ render }, { createElement }, { App }, { config }] = loaded;
  const history = new PromptHistory(path.join(resolvePaths(process.env).dataDir, "prompt-history.jsonl"));
  const controller = new SessionController({ config, model: flags.model ?? "auto", history });
  const session = new AbortController();
  const instance = render(createElement(App, { controller }), {
    exitOnCtrlC: false,
    // A library that logs to the console prints above the live region instead of through it.
    patchConsole: true,
    maxFps: MAX_FPS,
    // Terminals that speak the kitty keyboard protocol (kitty, WezTerm, ghostty) report Shift+Enter
    // apart from Enter; elsewhere `\` then Enter makes a new line.
    kittyKeyboard: { mode: "auto" },
  });

  const { openAgentRun } = await import("../../runtime/agent.js");
  const opening = openAgentRun({
    config,
    model: flags.model,
    mode: flags.permissionMode,
    allow: flags.allow,
    deny: flags.deny,
    maxTurns: flags.maxTurns === undefined ? undefined : Number(flags.maxTurns),
    continueLast: flags.continue ?? false,
    resume: flags.resume,
    cwd: process.cwd(),
    offline: flags.offline ?? false,
    daemon: flags.daemon,
    signal: session.signal,
    interaction: controller.interaction,
    cloudConsent: controller.cloudConsent,
    askUser: controller.askUser,
  });
  const opened = await opening.then(
    (run) => (controller.attach(run), run),
    (error: unknown) => (controller.failedToOpen(error), undefined),
  );
  const first = words.join(" ").trim();
  if (first && opened) {
    controller.history.add(first);
    void controller.prompt(first);
  }
  await instance.waitUntilExit();
  session.abort();
  // A turn cancelled by leaving ends (and says so in its transcript) before the session closes.
  await controller.settled();
  await opened?.[Symbol.asyncDispose]();
  return 0;
}
