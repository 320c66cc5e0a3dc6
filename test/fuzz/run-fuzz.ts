import type { FuzzCase } from "./cases.js";
import { runCase } from "./run-case.js";

/** A case that showed a fault, with what is needed to reproduce it. */
export interface Finding {
  index: number;
  label: string;
  fault: string;
  request: string;
  response: string;
}

export interface RunReport {
  /** Cases sent. */
  sent: number;
  /** Answers by status (0: none, as for raw cases the fuzzer abandons). */
  statuses: Record<number, number>;
  findings: Finding[];
  /** Epoch ms start and end of each case, to tell which were in flight at a given moment. */
  spans: Array<{ index: number; label: string; from: number; to: number; status: number }>;
}

export interface RunOptions {
  /** Cases in flight at once. */
  concurrency: number;
  /** Index of the first case in the whole run, so findings name their place in it. Default 0. */
  firstIndex?: number;
  /** Epoch ms after which no new case is started (the report then has fewer `sent`). Default none. */
  deadline?: number;
  /** Called every 500 cases with the number sent so far. */
  onProgress?: (sent: number) => void;
}

/**
 * Sends `cases` with at most `concurrency` in flight and collects every fault instead of stopping
 * at the first.
 */
export async function runCases(base: URL, cases: readonly FuzzCase[], options: RunOptions): Promise<RunReport> {
  const { concurrency, firstIndex = 0, deadline = Infinity, onProgress } = options;
  const report: RunReport = { sent: 0, statuses: {}, findings: [], spans: [] };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < cases.length && Date.now() < deadline) {
      const i = next++;
      const c = cases[i]!;
      const from = Date.now();
      const result = await runCase(base, c).catch((error: unknown) => ({ fault: `the fuzzer failed: ${String(error)}`, status: 0, request: "", response: "" }));
      report.spans.push({ index: firstIndex + i, label: c.label, from, to: Date.now(), status: result.status });
      report.sent++;
      report.statuses[result.status] = (report.statuses[result.status] ?? 0) + 1;
      if (result.fault) report.findings.push({ index: firstIndex + i, label: c.label, fault: result.fault, request: result.request, response: result.response });
      if (report.sent % 500 === 0) onProgress?.(report.sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return report;
}

/** Labels of the cases in flight at `at` (epoch ms). */
export function inFlightAt(report: RunReport, at: number): string[] {
  return report.spans.filter((s) => s.from <= at && at <= s.to).map((s) => `#${s.index} ${s.label}`);
}
