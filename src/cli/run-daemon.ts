import { daemonNoticeText } from "./daemon-notice-text.js";
import { daemonNotices } from "../runtime/daemon-notice.js";
import type { WrenConfig } from "../config/index.js";
import { openDaemonModel } from "../runtime/daemon-model.js";
import { daemonRefTarget, preferredDaemonModel } from "../runtime/daemon-preferred.js";
import { WrenError } from "../shared/errors.js";
import type { RunFlags } from "./commands/run.js";
import { answerJson, answerStats, printStream } from "./print-stream.js";
import { buildRequest } from "./run-request.js";

/** The `wren serve` flags that matter only when `wren run --daemon` has to start the daemon. */
function serveArgs(flags: RunFlags): string[] {
  return [
    ...(flags.gpu ? ["--gpu", flags.gpu] : []),
    ...(flags.threads ? ["--threads", flags.threads] : []),
    ...(flags.context ? ["--context", flags.context] : []),
    ...(flags.offline ? ["--offline"] : []),
  ];
}

/**
 * `wren run --daemon`: the prompt goes to the background daemon (started on demand; it keeps the
 * model loaded) and is printed like a local run. As in a local run, a model without a chat template
 * (or `--raw`) continues the prompt as raw text, and one with a template answers it as a chat turn,
 * so the same seed gives the same text both ways.
 */
export async function runDaemon(prompt: string, flags: RunFlags, config: WrenConfig, signal: AbortSignal): Promise<number> {
  if (flags.lora.length > 0) {
    throw new WrenError("bad_request", "--lora cannot go through the daemon: its models are loaded once for every client.", {
      hint: "Drop --daemon to apply the adapter in this process.",
    });
  }
  // With no --model, the model this run's configuration (its project's wren.toml included) names;
  // an alias that configuration defines is looked for as what it stands for too.
  const daemon = await openDaemonModel({ ref: flags.model, refTarget: daemonRefTarget(config, flags.model), preferred: preferredDaemonModel(config), serveArgs: serveArgs(flags) });
  const { url } = daemon;
  for (const notice of daemonNotices(daemon)) process.stderr.write(`${daemonNoticeText(notice)}\n`);
  const chat = flags.raw ? false : (flags.chat ?? daemon.chatTemplate);
  const model = chat ? daemon.model : daemon.completion;
  const request = buildRequest(prompt, flags, chat);
  const answer = await printStream(model.doStream(request, { signal }), { quiet: flags.json ?? false });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...answerJson(answer), model: { id: model.modelId, mode: chat ? "chat" : "completion" }, daemon: { url } })}\n`);
  } else {
    process.stderr.write(`${answerStats(answer, false)}\n`);
  }
  return answer.finish.finishReason === "abort" ? 130 : 0;
}
