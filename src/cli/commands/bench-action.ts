import { loadConfig } from "../../config/index.js";
import { formatBytes } from "../../models/index.js";
import { benchModel } from "../../runtime/bench.js";
import type { BenchFigures } from "../../runtime/bench-workload.js";
import { numberFlag } from "../parse-flags.js";
import type { BenchFlags } from "./bench.js";
import { renderTable } from "./table.js";

const rows: Array<{ label: string; key: keyof BenchFigures; digits: number }> = [
  { label: "prompt tokens/s", key: "promptTokensPerSecond", digits: 1 },
  { label: "decode tokens/s", key: "decodeTokensPerSecond", digits: 1 },
  { label: "time to first token (ms)", key: "firstTokenMs", digits: 1 },
  { label: "4-stream tokens/s", key: "fourStreamTokensPerSecond", digits: 1 },
];

/** `wren bench`: measures, then prints one table (wren, and `--vs` with the ratio wren / other). */
export async function runBench(ref: string, flags: BenchFlags): Promise<void> {
  const { config } = await loadConfig({
    flags: { "engine.gpu": flags.gpu, "engine.threads": flags.threads, "engine.contextSize": flags.context },
    flagLabels: { "engine.gpu": "--gpu", "engine.threads": "--threads", "engine.contextSize": "--context" },
  });
  const maxTokens = numberFlag("--max-tokens", flags.maxTokens, { integer: true });
  const rounds = numberFlag("--rounds", flags.rounds, { integer: true });
  const vsApiKey = flags.vsApiKey ?? process.env["WREN_BENCH_VS_API_KEY"];
  const report = await benchModel({
    config,
    ref,
    offline: flags.offline ?? false,
    workload: { ...(maxTokens ? { maxTokens } : {}), ...(rounds ? { rounds } : {}) },
    ...(flags.vs ? { vsUrl: flags.vs } : {}),
    ...(flags.vsModel ? { vsModel: flags.vsModel } : {}),
    ...(vsApiKey ? { vsApiKey } : {}),
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(`wren bench: ${report.model}, ${report.backend}, ${report.gpuLayers} of ${report.totalLayers} layers on the GPU\n`);
  const vs = report.vs;
  const header = vs ? ["", "wren", `${vs.url} (${vs.model})`, "wren / other"] : ["", "wren"];
  const table = rows.map(({ label, key, digits }) => {
    const mine = report.wren[key];
    if (!vs) return [label, mine.toFixed(digits)];
    const theirs = vs.figures[key];
    return [label, mine.toFixed(digits), theirs.toFixed(digits), theirs > 0 ? `${(mine / theirs).toFixed(2)}x` : "n/a"];
  });
  table.push(vs ? ["memory (RSS)", formatBytes(report.wren.memoryBytes), "not measured", "n/a"] : ["memory (RSS)", formatBytes(report.wren.memoryBytes)]);
  process.stdout.write(renderTable(header, table));
}
