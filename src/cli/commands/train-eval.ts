import path from "node:path";
import type { Command } from "commander";
import type { EvalResult } from "../../runtime/train/eval.js";

function printComparison({ adapter, evaluation: e, leftOut }: EvalResult): void {
  const delta = e.adapter.loss - e.baseModel.loss;
  const verdict = delta < 0 ? "better" : delta > 0 ? "worse" : "the same";
  // A base given as a file reads better by its name.
  const baseLabel = /[\\/]/.test(e.base.name) ? path.basename(e.base.name).replace(/\.gguf$/i, "") : e.base.name;
  const rows: Array<[string, { loss: number; perplexity: number }]> = [
    [baseLabel, e.baseModel],
    [`+ ${adapter}:${e.scale}`, e.adapter],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `Held-back examples: ${e.dataset.examples} (${e.tokens} reference-answer tokens) from ${e.dataset.file}`,
    `  ${"".padEnd(width)}  loss/token  perplexity`,
    ...rows.map(([label, m]) => `  ${label.padEnd(width)}  ${m.loss.toFixed(4).padStart(10)}  ${m.perplexity.toFixed(3).padStart(10)}`),
    `With '${adapter}' the loss is ${verdict} (${delta >= 0 ? "+" : ""}${delta.toFixed(4)} per token; lower is better).`,
  ];
  if (leftOut.negative > 0) lines.push(`Left out ${leftOut.negative} negative examples (bad answers no one corrected, or weighing nothing).`);
  if (leftOut.tooLong > 0) lines.push(`Left out ${leftOut.tooLong} examples longer than the context (engine.contextSize).`);
  const j = e.judge;
  if (j?.skipped) lines.push(`Teacher ${j.teacher} did not judge: ${j.skipped}`);
  else if (j) lines.push(`Teacher ${j.teacher} judged ${j.judged ?? 0}: the adapter's answer better ${j.adapterWins ?? 0}, the base's better ${j.baseWins ?? 0}, ties ${j.ties ?? 0}.`);
  lines.push(`Recorded beside '${adapter}' (\`wren adapters list --json\`); \`wren adapters promote ${adapter}\` makes it the default${delta > 0 ? " only with --force, since it got worse" : ""}.`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** `wren train eval`: base model against adapter on the held-back slice. */
export function registerTrainEval(train: Command): void {
  train
    .command("eval")
    .description("compare the base model and an adapter on the held-back evaluation slice (loss and perplexity of the reference answers; a teacher's verdict when cloud use allows) and record the result beside the adapter")
    .option("--adapter <name>", "a registered adapter (default: the one registered last)")
    .option("--base <model>", "the base model (default: the adapter's base, else models.default)")
    .option("--dataset <file>", "eval.jsonl or the folder holding it (default: the one wren train export wrote)")
    .option("--no-judge", "never ask a teacher to judge")
    .option("--offline", "never leave this machine (no teacher)")
    .option("--json", "print the evaluation as JSON")
    .action(async (options: { adapter?: string; base?: string; dataset?: string; judge: boolean; offline?: boolean; json?: boolean }) => {
      const [{ evaluateAdapter }, { terminalCloudConsent }] = await Promise.all([import("../../runtime/train/eval.js"), import("../../runtime/cloud-consent-prompt.js")]);
      const result = await evaluateAdapter({
        ...(options.adapter ? { adapter: options.adapter } : {}),
        ...(options.base ? { base: options.base } : {}),
        ...(options.dataset ? { dataset: options.dataset } : {}),
        judge: options.judge,
        offline: options.offline ?? false,
        ask: terminalCloudConsent(),
        onStage: (text) => process.stderr.write(`${text}\n`),
      });
      if (options.json) process.stdout.write(`${JSON.stringify({ name: result.adapter, ...result.evaluation, leftOut: result.leftOut }, null, 2)}\n`);
      else printComparison(result);
    });
}
