import type { WrenConfig } from "../config/index.js";
import { terminalCloudConsent } from "../runtime/cloud-consent-prompt.js";
import { openRoutedModel } from "../runtime/routed-run.js";
import { WrenError } from "../shared/errors.js";
import type { RunFlags } from "./commands/run.js";
import { loraFlag } from "./parse-flags.js";
import { answerJson, answerStats, printStream } from "./print-stream.js";
import { buildRequest } from "./run-request.js";

/**
 * `wren run --model auto | ROUTE | provider:model`: the prompt goes through the router (local model
 * from config first, the teachers when needed, with consent), and the stats say who answered and why.
 */
export async function runRouted(prompt: string, flags: RunFlags, config: WrenConfig, signal: AbortSignal): Promise<number> {
  const name = flags.model ?? "auto";
  if (flags.raw) {
    throw new WrenError("bad_request", `--raw needs a local model, and "${name}" goes through the router, which sends chat messages.`, {
      hint: "Drop --raw, or pass --model PATH (a GGUF file) to continue the text with a local model.",
    });
  }
  await using opened = openRoutedModel({
    config,
    name,
    offline: flags.offline ?? false,
    ask: terminalCloudConsent(),
    lora: loraFlag(flags.lora),
    signal,
  });
  const request = buildRequest(prompt, flags, true);
  const answer = await printStream(opened.model.doStream(request, { signal }), { quiet: flags.json ?? false });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...answerJson(answer), provenance: answer.provenance ?? null, model: { requested: name, mode: "chat" } })}\n`);
  } else {
    process.stderr.write(`${answerStats(answer, true)}\n`);
  }
  return answer.finish.finishReason === "abort" ? 130 : 0;
}
