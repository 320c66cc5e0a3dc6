import type { PermissionMode } from "../../permissions/types.js";
import type { Usage } from "../../protocol/index.js";
import type { Role } from "./components/theme.js";
import { modeLabel } from "./modes.js";
import type { StatusInfo } from "./view-state.js";

/** A piece of the status line and the role that colours it. */
export interface StatusPart {
  text: string;
  role: Role;
}

/** Free memory and the daemon's, as last sampled. */
export interface MemoryInfo {
  freeBytes: number;
  totalBytes: number;
  /** The resident memory of the daemon serving the model, when one does. */
  daemonRssBytes?: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** `950`, `1.2k`, `12k`, `1.1M`. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** `512 MiB`, `3.2 GiB`. */
export function formatBytes(n: number): string {
  return n < GiB ? `${Math.round(n / MiB)} MiB` : `${(n / GiB).toFixed(1)} GiB`;
}

/** `340 ms`, `1.2 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `8.5 tok/s`, `42 tok/s`. */
export function formatRate(perSecond: number): string {
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)} tok/s`;
}

/** The session's token counts with one more model call's: a cache count stays unknown until some call states it. */
export function countUsage(s: StatusInfo, u: Usage): Pick<StatusInfo, "inputTokens" | "cachedInputTokens" | "cacheWriteInputTokens" | "outputTokens"> {
  const add = (a: number | undefined, b: number | undefined) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  const cached = add(s.cachedInputTokens, u.cachedInputTokens);
  const written = add(s.cacheWriteInputTokens, u.cacheWriteInputTokens);
  return {
    inputTokens: s.inputTokens + u.inputTokens,
    ...(cached === undefined ? {} : { cachedInputTokens: cached }),
    ...(written === undefined ? {} : { cacheWriteInputTokens: written }),
    outputTokens: s.outputTokens + u.outputTokens,
  };
}

/** `10552 in (10212 cached, 200 cache write)`: the cache counts, within the tokens in, where a model stated them. */
function tokensIn(s: StatusInfo): string {
  const parts = [...(s.cachedInputTokens === undefined ? [] : [`${s.cachedInputTokens} cached`]), ...(s.cacheWriteInputTokens === undefined ? [] : [`${s.cacheWriteInputTokens} cache write`])];
  return parts.length > 0 ? `${s.inputTokens} in (${parts.join(", ")})` : `${s.inputTokens} in`;
}

/**
 * The status lines. The first, always: the model asked for, who answered the last turn and why,
 * tokens in (of those, the ones read from a prompt cache and written to one) and out, the cost so far and the permission mode (the first frame, drawn before Ink,
 * draws the same line). Once a turn has ended, a second: its time to first token and tokens per
 * second, and how much of the answering model's context window it filled.
 */
export function statusLines(s: StatusInfo, mode: PermissionMode, ready: boolean): StatusPart[][] {
  const dim = (text: string): StatusPart => ({ text, role: "dim" });
  const answered = s.answeredBy ? `${s.answeredBy.provider}:${s.answeredBy.model} (${s.answeredBy.reason})` : ready ? "no turn yet" : "starting…";
  const first: StatusPart[] = [dim(`${s.model} · last: ${answered} · ${tokensIn(s)} / ${s.outputTokens} out · $${s.costUsd.toFixed(4)} · `), { text: `mode: ${modeLabel(mode)}`, role: mode === "default" ? "dim" : "warning" }];
  if (mode !== "default") first.push(dim(" (Shift+Tab to change)"));
  const second: StatusPart[] = [];
  if (s.timeToFirstTokenMs !== undefined) second.push(dim(`first token ${formatMs(s.timeToFirstTokenMs)}`));
  if (s.tokensPerSecond !== undefined) second.push(dim(`${formatRate(s.tokensPerSecond)}`));
  if (s.contextTokens !== undefined && s.contextWindow) {
    const share = s.contextTokens / s.contextWindow;
    // Compaction starts at 80% by default: the figure turns to a warning a little before.
    second.push({ text: `context ${formatTokens(s.contextTokens)}/${formatTokens(s.contextWindow)} (${Math.round(share * 100)}%)`, role: share >= 0.7 ? "warning" : "dim" });
  } else if (s.contextTokens !== undefined) second.push(dim(`context ${formatTokens(s.contextTokens)} (window unknown)`));
  const joined = second.flatMap((p, i) => (i === 0 ? [p] : [dim(" · "), p]));
  return joined.length > 0 ? [first, joined] : [first];
}

/** Low: under 10% of the machine's memory or under 1 GiB free, when loading more may swap or fail. */
export function memoryLow(m: MemoryInfo): boolean {
  return m.freeBytes < GiB || m.freeBytes < m.totalBytes * 0.1;
}

/** `memory: 5.2 GiB free of 16.0 GiB · daemon 1.3 GiB`, or a warning when free memory runs low. */
export function memoryPart(m: MemoryInfo): StatusPart {
  const daemon = m.daemonRssBytes !== undefined ? ` · daemon ${formatBytes(m.daemonRssBytes)}` : "";
  const free = `${formatBytes(m.freeBytes)} free of ${formatBytes(m.totalBytes)}`;
  return memoryLow(m)
    ? { text: `⚠ memory low: ${free}${daemon}; a larger model or context may not fit`, role: "warning" }
    : { text: `memory: ${free}${daemon}`, role: "dim" };
}
