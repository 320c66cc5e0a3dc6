import type { GrepPattern } from "./grep-pattern.js";

/** The 0-based numbers of the lines that hold a match. */
export function matchingLines(lines: string[], pattern: GrepPattern, multiline: boolean): number[] {
  if (!multiline) {
    const hits: number[] = [];
    lines.forEach((line, i) => {
      if (pattern.test(line)) hits.push(i);
    });
    return hits;
  }
  // Matches may span lines: every line a match touches counts, as in ripgrep's output.
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const text = lines.join("\n");
  const hit = new Set<number>();
  for (const match of pattern.matchAll(text)) {
    const at = match.index ?? 0;
    const first = lineAt(starts, at);
    const last = lineAt(starts, at + Math.max(match[0].length - 1, 0));
    for (let i = first; i <= last; i++) hit.add(i);
  }
  return [...hit].sort((a, b) => a - b);
}

function lineAt(starts: number[], position: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The lines to print for the matches with their context, merged where they touch; `"break"` is
 * ripgrep's `--` between groups that do not.
 */
export function withContext(lineCount: number, hits: number[], before: number, after: number): Array<{ line: number; match: boolean } | "break"> {
  const out: Array<{ line: number; match: boolean } | "break"> = [];
  const hitSet = new Set(hits);
  let printedUpTo = -1;
  for (const hit of hits) {
    const from = Math.max(0, hit - before, printedUpTo + 1);
    const to = Math.min(lineCount - 1, hit + after);
    if (printedUpTo >= 0 && from > printedUpTo + 1 && (before > 0 || after > 0)) out.push("break");
    for (let i = from; i <= to; i++) out.push({ line: i, match: hitSet.has(i) });
    printedUpTo = Math.max(printedUpTo, to);
  }
  return out;
}
