import { loadConfig } from "../config/index.js";
import type { StreamPart } from "../protocol/stream.js";
import { openLocalModel } from "../runtime/local.js";
import { isRoutedModelName } from "../runtime/routed-name.js";
import { WrenError } from "../shared/errors.js";
import type { RunFlags } from "./commands/run.js";
import { loraFlag } from "./parse-flags.js";
import { reportError } from "./report-error.js";
import { buildRequest, statsLine } from "./run-request.js";

async function readPrompt(words: string[]): Promise<string> {
  if (words.length > 0 && !(words.length === 1 && words[0] === "-")) return words.join(" ");
  if (process.stdin.isTTY) {
    throw new WrenError("bad_request", "No prompt given.", { hint: 'Pass it as an argument (wren run "Once upon a time") or pipe it on stdin.' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) throw new WrenError("bad_request", "The prompt on stdin is empty.", { hint: "Pipe some text in, or pass the prompt as an argument." });
  return text;
}

/** `wren run`: returns the exit code. Ctrl+C stops generation at once; a second Ctrl+C exits. */
export async function runCommand(words: string[], flags: RunFlags): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  try {
    const prompt = await readPrompt(words);
    const { config } = await loadConfig({
      flags: {
        "engine.gpu": flags.gpu,
        "engine.threads": flags.threads,
        "engine.contextSize": flags.context,
      },
      flagLabels: { "engine.gpu": "--gpu", "engine.threads": "--threads", "engine.contextSize": "--context" },
    });
    if (isRoutedModelName(flags.model, config)) {
      const { runRouted } = await import("./run-routed.js");
      return await runRouted(prompt, flags, config, controller.signal);
    }
    await using opened = await openLocalModel({
      config,
      ref: flags.model,
      offline: flags.offline ?? false,
      lora: loraFlag(flags.lora),
      signal: controller.signal,
    });
    const { model, engine } = opened;
    const chat = flags.raw ? false : (flags.chat ?? model.info.hasChatTemplate);
    const request = buildRequest(prompt, flags, chat);

    let text = "";
    let finish: Extract<StreamPart, { type: "finish" }> | undefined;
    for await (const part of model.doStream(request, { signal: controller.signal })) {
      if (part.type === "text-delta") {
        text += part.delta;
        if (!flags.json) process.stdout.write(part.delta);
      } else if (part.type === "tool-call" && !flags.json) {
        process.stdout.write(`${part.input}`);
      } else if (part.type === "finish") {
        finish = part;
      } else if (part.type === "error") {
        throw new WrenError(part.error.code, part.error.message, part.error.hint ? { hint: part.error.hint } : {});
      }
    }
    if (!finish) throw new WrenError("internal", "The model stopped without finishing its answer.");
    const ttft = finish.timings?.timeToFirstTokenMs;
    const total = finish.timings?.totalMs ?? 0;
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
          model: { id: model.modelId, path: model.info.path, mode: chat ? "chat" : "completion", chatFormat: model.info.chatFormat },
          backend: { ...engine.backend, gpuLayers: model.info.gpuLayers, totalLayers: model.info.totalLayers },
        })}\n`,
      );
    } else {
      if (text.length > 0 && !text.endsWith("\n")) process.stdout.write("\n");
      process.stderr.write(`${statsLine(finish.usage, ttft, total)}\n`);
    }
    return finish.finishReason === "abort" ? 130 : 0;
  } catch (error) {
    return reportError(error);
  } finally {
    process.off("SIGINT", onSigint);
  }
}
