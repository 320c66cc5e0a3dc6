import os from "node:os";
import { formatBytes } from "../../models/bytes.js";
import { catalog } from "../../models/catalog.js";
import { memoryBudget } from "../../models/fit.js";
import { recommendModel } from "../../models/recommend.js";
import { quantOfFileName } from "../../models/ref.js";

/** One model the wizard offers, with what a person needs to choose it. */
export interface ModelOption {
  name: string;
  recommended: boolean;
  /** Label/value rows of the preview: repository, parameters, quantisation, sizes, fit. */
  preview: Array<[string, string]>;
}

/** The model's parameter count as its description gives it ("1.5B"), or "?" when it does not. */
function parameters(description: string): string {
  return /\b(\d+(?:\.\d+)?B)\b/.exec(description)?.[1] ?? "?";
}

/**
 * The catalog's chat models, largest first, with wren's own pick for this machine marked: the same
 * `recommendModel` choice as the default model (free memory, cores, expected speed).
 */
export function modelOptions(freeRamBytes?: number): { options: ModelOption[]; recommended: number; budget: string } {
  const budget = memoryBudget(freeRamBytes === undefined ? {} : { freeRamBytes });
  const { entry: pick, candidates } = recommendModel(budget, "chat", catalog, { cores: os.availableParallelism(), gpu: false });
  const options = candidates.map(({ entry, need, fits, tokensPerSecond }) => ({
    name: entry.name,
    recommended: entry === pick,
    preview: [
      ["Repository", `${entry.repo} (${entry.file})`],
      ["Parameters", parameters(entry.description)],
      ["Quantisation", quantOfFileName(entry.file) ?? "?"],
      ["Download", formatBytes(entry.sizeBytes)],
      ["Memory needed", `about ${formatBytes(need)}`],
      [
        "This machine",
        fits
          ? `fits in ${budget.description}${tokensPerSecond === undefined ? "" : `, about ${Math.round(tokensPerSecond)} tokens/s`}`
          : `does not fit in ${budget.description}`,
      ],
    ] satisfies Array<[string, string]>,
  }));
  return { options, recommended: Math.max(0, options.findIndex((o) => o.recommended)), budget: budget.description };
}
