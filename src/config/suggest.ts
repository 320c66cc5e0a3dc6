/**
 * Edit distance between two strings for "did you mean" suggestions: insertions, deletions,
 * substitutions and swaps of two neighbours (`hots` is one edit from `host`, as a typist sees it).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

const normalize = (s: string) => s.toLowerCase().replace(/[_-]/g, "");

/**
 * The candidate closest to `input`, when it is close enough to be a likely typo: the same key in
 * another case or with underscores (`context_size` → `contextSize`), or a few edits away.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = normalize(input);
  const sameWord = candidates.find((c) => normalize(c) === wanted);
  if (sameWord !== undefined) return sameWord;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * What is said of a key no table of wren's has: the key meant, when `key` is a likely typo of one
 * of `known` ({@link closest}), else the keys there are (`where`: "keys here", or "sections" at a
 * file's top; `noun`: what `key` is not, "key" or "section"). wren.toml's keys, settings.toml's
 * keys and tables and flags written as keys all say it so.
 */
export function unknownKeyAdvice(key: string, known: readonly string[], where = "keys here", noun = "key"): string {
  const suggestion = closest(key, known);
  return suggestion === undefined ? `is not a known ${noun}. Remove it; the ${where} are: ${known.join(", ")}.` : `is not a known ${noun}. Did you mean "${suggestion}"?`;
}
