import { staleNotice } from "../runtime/daemon-cli.js";
import { openDaemonModel } from "../runtime/daemon-model.js";
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
 * `wren run --daemon`: the prompt goes to the background daemon's chat completions endpoint (the
 * daemon is started on demand and keeps the model loaded), printed like a local run.
 */
export async function runDaemon(prompt: string, flags: RunFlags, signal: AbortSignal): Promise<number> {
  if (flags.raw) {
    throw new WrenError("bad_request", "--raw cannot go through the daemon, which answers chat messages.", {
      hint: "Drop --daemon to continue the text with the model loaded in this process, or drop --raw.",
    });
  }
  if (flags.lora.length > 0) {
    throw new WrenError("bad_request", "--lora cannot go through the daemon: its models are loaded once for every client.", {
      hint: "Drop --daemon to apply the adapter in this process.",
    });
  }
  const { model, url, staleRemoved } = await openDaemonModel({ ref: flags.model, serveArgs: serveArgs(flags) });
  if (staleRemoved !== undefined) process.stderr.write(`${staleNotice(staleRemoved)}\n`);
  const request = buildRequest(prompt, flags, true);
  const answer = await printStream(model.doStream(request, { signal }), { quiet: flags.json ?? false });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...answerJson(answer), model: { id: model.modelId, mode: "chat" }, daemon: { url } })}\n`);
  } else {
    process.stderr.write(`${answerStats(answer, false)}\n`);
  }
  return answer.finish.finishReason === "abort" ? 130 : 0;
}
