import { catalog, type CatalogEntry, type CatalogPurpose } from "./catalog.js";
import type { MemoryBudget } from "./fit.js";

/** Memory a catalog model needs at a usual context: weights plus a fifth for KV cache and buffers. */
export function catalogNeed(entry: CatalogEntry): number {
  return Math.round(entry.sizeBytes * 1.2 + 256e6);
}

export interface Recommendation {
  entry: CatalogEntry | undefined;
  /** Every candidate for the purpose, largest first, and whether it fits. */
  candidates: { entry: CatalogEntry; need: number; fits: boolean }[];
}

/** The largest catalog model for `purpose` that fits the budget. */
export function recommendModel(budget: MemoryBudget, purpose: CatalogPurpose = "chat", entries: readonly CatalogEntry[] = catalog): Recommendation {
  const candidates = entries
    .filter((e) => e.purpose === purpose)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .map((entry) => ({ entry, need: catalogNeed(entry), fits: catalogNeed(entry) <= budget.bytes }));
  return { entry: candidates.find((c) => c.fits)?.entry, candidates };
}
