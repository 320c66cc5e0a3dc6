import { existsSync, readFileSync } from "node:fs";
import type { Decision } from "../router/decisions.js";
import { formatDecisions, formatStats, statsOf } from "../router/report.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { decisionsFilePath } from "./router.js";

/**
 * Decisions recorded by every wren process on this machine, newest first. Each process numbers its
 * own decisions from 1, so here they are numbered again in the order the log holds them (oldest 1),
 * and `#N` names one decision in `wren router log` whichever process made it.
 */
export function readDecisions(env: Env = process.env): Decision[] {
  const file = decisionsFilePath(resolvePaths(env).stateDir);
  const out: Decision[] = [];
  for (const part of [`${file}.1`, file]) {
    if (!existsSync(part)) continue;
    for (const line of readFileSync(part, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as Decision);
      } catch {
        // A line cut by a crash is skipped; the rest of the log still reads.
      }
    }
  }
  return out.map((decision, index) => ({ ...decision, id: index + 1 })).reverse();
}

export interface RouterLogOptions {
  limit?: string | undefined;
  json?: boolean | undefined;
}

/** `wren router log`. */
export function runRouterLog(options: RouterLogOptions, out: NodeJS.WritableStream = process.stdout, env: Env = process.env): void {
  const limit = options.limit === undefined ? 20 : Number(options.limit);
  const decisions = readDecisions(env).slice(0, Number.isFinite(limit) && limit > 0 ? limit : 20);
  out.write(options.json ? `${JSON.stringify(decisions, null, 2)}\n` : formatDecisions(decisions));
}

/** `wren router stats`. */
export function runRouterStats(options: { json?: boolean | undefined }, out: NodeJS.WritableStream = process.stdout, env: Env = process.env): void {
  const stats = statsOf(readDecisions(env));
  out.write(options.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
}
