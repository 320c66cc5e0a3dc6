import type { WrenConfig } from "../config/index.js";
import type { Provenance, StreamPart } from "../protocol/stream.js";
import { terminalCloudConsent } from "../runtime/cloud-consent-prompt.js";
import { openRoutedModel } from "../runtime/routed-run.js";
import { WrenError } from "../shared/errors.js";
import type { RunFlags } from "./commands/run.js";
import { loraFlag } from "./parse-flags.js";
import { buildRequest, statsLine } from "./run-request.js";

/** Who answered and why, as the end of the stats line says it. */
export function provenanceLine(p: Provenance): string {
  return `answered by ${p.provider}:${p.model} (route ${p.route ?? "-"}, reason ${p.reason})`;
}

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
  const started = performance.now();
  let ttft: number | undefined;
  let text = "";
  let provenance: Provenance | undefined;
  let finish: Extract<StreamPart, { type: "finish" }> | undefined;
  for await (const part of opened.model.doStream(request, { signal })) {
    if (part.type === "stream-start") {
      provenance = part.provenance ?? provenance;
    } else if (part.type === "text-delta") {
      ttft ??= performance.now() - started;
      text += part.delta;
      if (!flags.json) process.stdout.write(part.delta);
    } else if (part.type === "tool-call" && !flags.json) {
      process.stdout.write(part.input);
    } else if (part.type === "finish") {
      finish = part;
      provenance = part.provenance ?? provenance;
    } else if (part.type === "error") {
      if (text && !flags.json) process.stdout.write("\n");
      throw new WrenError(part.error.code, part.error.message, part.error.hint ? { hint: part.error.hint } : {});
    }
  }
  if (!finish) throw new WrenError("internal", "The router stopped without finishing its answer.");
  const total = performance.now() - started;
  if (flags.json) {
    const decodeMs = total - (ttft ?? 0);
    process.stdout.write(
      `${JSON.stringify({
        text,
        finishReason: finish.finishReason,
        usage: finish.usage,
        timings: {
          timeToFirstTokenMs: ttft ?? null,
          totalMs: total,
          tokensPerSecond: finish.usage.outputTokens > 1 && decodeMs > 0 ? ((finish.usage.outputTokens - 1) / decodeMs) * 1000 : 0,
        },
        provenance: provenance ?? null,
        model: { requested: name, mode: "chat" },
      })}\n`,
    );
  } else {
    if (text.length > 0 && !text.endsWith("\n")) process.stdout.write("\n");
    process.stderr.write(`${statsLine(finish.usage, ttft, total)}${provenance ? `, ${provenanceLine(provenance)}` : ""}\n`);
  }
  return finish.finishReason === "abort" ? 130 : 0;
}
