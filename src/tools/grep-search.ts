import { WrenError } from "../shared/errors.js";

/** How a pattern is matched, as ripgrep's flags would say it. */
export interface GrepPatternOptions {
  ignoreCase: boolean;
  /** ripgrep's `-U --multiline-dotall`: matches may span lines and `.` matches newlines. */
  multiline: boolean;
}

/**
 * A ripgrep-style pattern as a JavaScript RegExp. The syntaxes agree on what models write (classes,
 * `\b`, `\d`, groups, alternation); Rust's leading inline flags such as `(?i)` become RegExp flags.
 * `^` and `$` match at line boundaries, as in ripgrep.
 */
export function compileGrepPattern(pattern: string, options: GrepPatternOptions): RegExp {
  let source = pattern;
  const flags = new Set(["g", "m"]);
  if (options.ignoreCase) flags.add("i");
  if (options.multiline) flags.add("s");
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline?.[1]) {
    for (const flag of inline[1]) if (flag === "i" || flag === "s") flags.add(flag);
    source = source.slice(inline[0].length);
  }
  try {
    return new RegExp(source, [...flags].join(""));
  } catch (error) {
    throw new WrenError("bad_request", `The pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}.`, {
      hint: "Escape special characters such as ( [ { . * + ? with a backslash to match them literally.",
    });
  }
}

/** The 0-based numbers of the lines that hold a match. */
export function matchingLines(lines: string[], regex: RegExp, multiline: boolean): number[] {
  if (!multiline) {
    const hits: number[] = [];
    lines.forEach((line, i) => {
      regex.lastIndex = 0;
      if (regex.test(line)) hits.push(i);
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
  regex.lastIndex = 0;
  for (const match of text.matchAll(regex)) {
    const first = lineAt(starts, match.index);
    const last = lineAt(starts, match.index + Math.max(match[0].length - 1, 0));
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
