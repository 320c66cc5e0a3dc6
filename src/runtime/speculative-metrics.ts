import type { LocalModel } from "../engine/index.js";

/** A Prometheus label value: backslashes, quotes and newlines escaped. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/**
 * Speculative decoding's predicted tokens, accepted and rejected, of each loaded model since it was
 * loaded (a model unloaded and loaded again starts from zero, as Prometheus counters may).
 */
export function speculativeMetricsText(models: readonly LocalModel[]): string {
  const out = [
    "# HELP wren_speculative_tokens_total Predicted tokens (speculative decoding) the model accepted or rejected, by model and predictor.",
    "# TYPE wren_speculative_tokens_total counter",
  ];
  for (const model of models) {
    const stats = model.speculativeStats();
    if (stats.predictor === "off") continue;
    const labels = `model="${label(model.modelId)}",predictor="${stats.predictor}"`;
    out.push(`wren_speculative_tokens_total{${labels},result="accepted"} ${stats.acceptedTokens}`);
    out.push(`wren_speculative_tokens_total{${labels},result="rejected"} ${stats.rejectedTokens}`);
  }
  return `${out.join("\n")}\n`;
}
