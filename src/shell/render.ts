import { visibleText } from "../shared/visible-text.js";
import type { Analysis, Risk } from "./types.js";

/** Whether to colour output: only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0") return true;
  return stream.isTTY === true;
}

const COLORS: Record<Risk, string> = { safe: "42;30", moderate: "43;30", high: "41;97", critical: "45;97;1" };

/** ` CRITICAL ` on a coloured background, or `[critical]` without colour. */
export function riskBadge(risk: Risk, color: boolean): string {
  return color ? `\x1b[${COLORS[risk]}m ${risk.toUpperCase()} \x1b[0m` : `[${risk}]`;
}

/** The command, its badge, and one line per reason. */
export function renderAnalysis(command: string, analysis: Analysis, color: boolean): string {
  // What is shown is what runs: a `\r`, an escape sequence or a bidi control in the command (or in
  // a reason quoting it) is written out, never acted on by the terminal.
  const lines = [`${riskBadge(analysis.risk, color)} ${visibleText(command)}`];
  for (const r of analysis.reasons) lines.push(`  - ${r.category}: ${visibleText(r.detail, { oneLine: true })} (${r.risk})`);
  return lines.join("\n") + "\n";
}

/** The check-mode answer: `{risk, reasons: [{category, detail}]}`. */
export function checkObject(analysis: Analysis): { risk: Risk; reasons: { category: string; detail: string }[] } {
  return { risk: analysis.risk, reasons: analysis.reasons.map((r) => ({ category: r.category, detail: r.detail })) };
}

/** {@link checkObject} as one line of JSON. */
export function checkJson(analysis: Analysis): string {
  return JSON.stringify(checkObject(analysis));
}
