import os from "node:os";
import type { WrenConfig } from "../config/index.js";
// The light modules only, not models/index.js: `wren run --model auto` asks for the default before
// it knows whether the local model will be needed, and must not load node-llama-cpp for it.
import { catalog, type CatalogPurpose } from "../models/catalog.js";
import { memoryBudget } from "../models/fit.js";
import { recommendModel, type MachineSpeed } from "../models/recommend.js";
import { WrenError } from "../shared/errors.js";

export interface DefaultModel {
  ref: string;
  /** True when no model was configured and wren chose its embedded default for this machine. */
  embedded: boolean;
  /** Why the embedded default suits this machine: "fits in …, about N tokens/s here". */
  reason?: string;
}

/**
 * The model a command uses when none is named: `models.default` when configured, else the catalog
 * chat model `wren models recommend` picks for this machine (free memory, cores, GPU, expected
 * speed), pulled on first use. `speed` defaults to this machine's cores on the CPU. `purpose` picks
 * among the catalog's models of that kind (`wren cmd` asks for a coder).
 */
export function defaultModel(config: WrenConfig, freeRamBytes?: number, speed?: MachineSpeed, purpose: CatalogPurpose = "chat"): DefaultModel {
  if (config.models.default) return { ref: config.models.default, embedded: false };
  const budget = memoryBudget(freeRamBytes === undefined ? {} : { freeRamBytes });
  const machine = speed ?? { cores: Math.min(config.engine.threads, os.availableParallelism()), gpu: false };
  const { entry, reason } = recommendModel(budget, purpose, catalog, machine);
  if (!entry) {
    throw new WrenError("model_too_large", "No model in wren's catalog fits this machine's free memory.", {
      hint: "Pass --model PATH with a small GGUF file, or free some memory.",
    });
  }
  return { ref: entry.name, embedded: true, ...(reason ? { reason } : {}) };
}

/** Adds the way out to an error met while fetching the embedded default (offline, no network). */
export function explainEmbeddedDefaultFailure(error: unknown, ref: string): unknown {
  if (!(error instanceof WrenError)) return error;
  if (!["model_not_found", "network_error", "download_failed", "unauthorized"].includes(error.code)) return error;
  return new WrenError(error.code, `wren's default model (${ref}) is not here and could not be fetched: ${error.message}`, {
    cause: error,
    hint: "Pass --model PATH to use a GGUF file you already have (e.g. --model ./model.gguf), or run `wren pull " + ref + "` when online.",
  });
}
