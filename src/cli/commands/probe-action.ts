import { loadConfig } from "../../config/index.js";
import { formatBytes } from "../../models/index.js";
import { probeModel, type ProbeReport } from "../../runtime/probe.js";
import { numberFlag } from "../parse-flags.js";
import type { ProbeFlags } from "./probe.js";

/** 260K, 1.5B: parameter counts as model cards write them. */
function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}K`;
  return String(n);
}

/** `wren probe`: loads the model, prints what it is and one timed generation. */
export async function runProbe(ref: string, flags: ProbeFlags): Promise<void> {
  const { config } = await loadConfig({
    flags: { "engine.gpu": flags.gpu, "engine.threads": flags.threads, "engine.contextSize": flags.context },
    flagLabels: { "engine.gpu": "--gpu", "engine.threads": "--threads", "engine.contextSize": "--context" },
  });
  const maxTokens = numberFlag("--max-tokens", flags.maxTokens, { integer: true });
  const report = await probeModel({ config, ref, offline: flags.offline ?? false, ...(maxTokens ? { maxTokens } : {}) });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const g = report.generation;
  const rows: [string, string][] = [
    ["Model", `${report.name ?? report.ref} (${report.path})`],
    ["Architecture", report.architecture],
    ["Parameters", `${formatCount(report.parameters)} (${report.parameters})`],
    ["Quantisation", report.quantisation ?? "unknown"],
    ["Size", formatBytes(report.sizeBytes)],
    ["Context", `${report.contextSize} loaded, ${report.trainContextLength} trained`],
    ["Template", report.hasChatTemplate ? `${report.chatFormat} (the model's own)` : `${report.chatFormat} (none in the file; generic fallback)`],
    ["Backend", `${report.backend.used}${report.backend.devices.length ? ` (${report.backend.devices.join(", ")})` : ""}, ${report.backend.threads} threads`],
    ...(report.backend.skipped ?? []).map((s): [string, string] => ["Passed over", `${s.backend}: stops at its first computation here (${s.reason})`]),
    ["GPU layers", `${report.gpuLayers} of ${report.totalLayers}`],
    ...gpuRows(report.gpus),
    // A chat model answers the prompt, a model without a template continues it.
    ...(report.hasChatTemplate
      ? ([["Prompt", JSON.stringify(g.prompt)], ["Reply", JSON.stringify(g.text)]] as Array<[string, string]>)
      : ([["Generation", JSON.stringify(g.prompt + g.text)]] as Array<[string, string]>)),
    ["Speed", `${g.outputTokens} tokens, ${g.tokensPerSecond.toFixed(1)} tokens/s, first token after ${g.firstTokenMs.toFixed(0)} ms`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  process.stdout.write(rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join("\n") + "\n");
}

/** One row per GPU, then their memory (summed: node-llama-cpp has no per-device figures) and the split. */
function gpuRows(gpus: ProbeReport["gpus"]): Array<[string, string]> {
  if (gpus.devices.length === 0) return [["GPUs", "none in use (CPU backend)"]];
  const rows: Array<[string, string]> = gpus.devices.map((d) => [`GPU ${d.index}`, d.name]);
  if (gpus.memory) {
    const { freeBytes, totalBytes } = gpus.memory;
    rows.push(["GPU memory", `${formatBytes(freeBytes)} free of ${formatBytes(totalBytes)}${gpus.devices.length > 1 ? ", all GPUs together" : ""}`]);
  }
  if (gpus.devices.length > 1) rows.push(["GPU split", `${gpus.split}: whole layers on each of the ${gpus.devices.length} GPUs, by free memory`]);
  return rows;
}
