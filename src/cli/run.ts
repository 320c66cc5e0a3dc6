import { loadConfig } from "../config/index.js";
import { openLocalModel } from "../runtime/local.js";
import { isRoutedModelName } from "../runtime/routed-name.js";
import type { RunFlags } from "./commands/run.js";
import { loraFlag } from "./parse-flags.js";
import { reportError } from "./report-error.js";
import { answerJson, answerStats, printStream } from "./print-stream.js";
import { buildRequest, samplingFromFlags } from "./run-request.js";
import { readPrompt } from "./read-prompt.js";
import { modelGivenAsPrompt } from "./run-model-word.js";

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
    const modelWord = flags.model === undefined ? modelGivenAsPrompt(words, "wren run") : undefined;
    if (modelWord) throw modelWord;
    samplingFromFlags(flags);
    const prompt = await readPrompt(words);
    const { config } = await loadConfig({
      flags: {
        "engine.gpu": flags.gpu,
        "engine.threads": flags.threads,
        "engine.contextSize": flags.context,
      },
      flagLabels: { "engine.gpu": "--gpu", "engine.threads": "--threads", "engine.contextSize": "--context" },
    });
    if (flags.daemon) {
      const { runDaemon } = await import("./run-daemon.js");
      return await runDaemon(prompt, flags, config, controller.signal);
    }
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

    const answer = await printStream(model.doStream(request, { signal: controller.signal }), { quiet: flags.json ?? false });
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({
          ...answerJson(answer),
          model: { id: model.modelId, path: model.info.path, mode: chat ? "chat" : "completion", chatFormat: model.info.chatFormat },
          backend: { ...engine.backend, gpuLayers: model.info.gpuLayers, totalLayers: model.info.totalLayers },
        })}\n`,
      );
    } else {
      process.stderr.write(`${answerStats(answer, false)}\n`);
    }
    return answer.finish.finishReason === "abort" ? 130 : 0;
  } catch (error) {
    return reportError(error);
  } finally {
    process.off("SIGINT", onSigint);
  }
}
