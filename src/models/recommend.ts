import { catalog, type CatalogEntry, type CatalogPurpose } from "./catalog.js";
import { formatBytes } from "./bytes.js";
import type { MemoryBudget } from "./fit.js";

/** Memory a catalog model needs at a usual context: weights plus a fifth for KV cache and buffers. */
export function catalogNeed(entry: CatalogEntry): number {
  return Math.round(entry.sizeBytes * 1.2 + 256e6);
}

/** What decides which model suits a machine, besides its free memory. */
export interface MachineSpeed {
  /** CPU threads wren may use. */
  cores: number;
  /** True when a GPU backend will run the model. */
  gpu: boolean;
}

/**
 * Answers slower than this feel broken in a chat, so a model that fits but would crawl is passed
 * over for a smaller one.
 */
export const TARGET_TOKENS_PER_SECOND = 6;

/**
 * A rough decode speed: generating a token reads every weight once, so speed is memory bandwidth
 * over model size. About 4 GB/s per CPU core (a dual-channel desktop saturates near 16 cores) and
 * 200 GB/s for a GPU; good enough to rank models, not a benchmark.
 */
export function expectedTokensPerSecond(entry: CatalogEntry, speed: MachineSpeed): number {
  const bandwidth = speed.gpu ? 200e9 : Math.min(Math.max(speed.cores, 1), 16) * 4e9;
  return bandwidth / entry.sizeBytes;
}

export interface Candidate {
  entry: CatalogEntry;
  need: number;
  fits: boolean;
  /** Expected decode speed here, when the machine's speed was given. */
  tokensPerSecond?: number;
}

export interface Recommendation {
  entry: CatalogEntry | undefined;
  /** Every candidate for the purpose, largest first, and whether it fits. */
  candidates: Candidate[];
  /** "fits in 23.9 GB free RAM, about 9 tokens/s here", for the picked model. */
  reason: string | undefined;
}

/**
 * The model wren picks for `purpose` on this machine, the one logic behind `wren models recommend`
 * and the default model: the largest that fits the memory budget and, when the machine's speed is
 * given, answers at {@link TARGET_TOKENS_PER_SECOND} or faster; if none is that fast, the fastest
 * that fits.
 */
export function recommendModel(budget: MemoryBudget, purpose: CatalogPurpose = "chat", entries: readonly CatalogEntry[] = catalog, speed?: MachineSpeed): Recommendation {
  const candidates: Candidate[] = entries
    .filter((e) => e.purpose === purpose)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .map((entry) => ({
      entry,
      need: catalogNeed(entry),
      fits: catalogNeed(entry) <= budget.bytes,
      ...(speed ? { tokensPerSecond: expectedTokensPerSecond(entry, speed) } : {}),
    }));
  const fitting = candidates.filter((c) => c.fits);
  const fast = fitting.find((c) => c.tokensPerSecond === undefined || c.tokensPerSecond >= TARGET_TOKENS_PER_SECOND);
  const picked = fast ?? fitting.at(-1);
  const reason = picked
    ? `fits in ${budget.description} (needs about ${formatBytes(picked.need)})` +
      (picked.tokensPerSecond === undefined ? "" : `, about ${Math.round(picked.tokensPerSecond)} tokens/s here`)
    : undefined;
  return { entry: picked?.entry, candidates, reason };
}
