/**
 * The terminal UI's screen with what changes from run to run made constant, for text snapshots:
 * token counts (the cache counts within them too), timings and speed, the share of the context window used, cost, and the memory line
 * (free memory differs per machine and moment, and a loaded machine shows the low-memory warning).
 */
export function stableScreen(screen: string): string {
  return screen
    .replace(/\d+ in \/ \d+ out/g, "N in / N out")
    .replace(/\d+ in \((\d+ cached)?(, )?(\d+ cache write)?\) \/ \d+ out/g, (_, cached?: string, comma?: string, written?: string) => `N in (${cached ? "N cached" : ""}${comma ?? ""}${written ? "N cache write" : ""}) / N out`)
    .replace(/first token [\d.]+ m?s( · [\d.]+ tok\/s)?/g, "first token T · R tok/s")
    .replace(/context [\d.]+[kM]?\/([\d.]+[kM]?) \(\d+%\)/g, "context N/$1 (P%)")
    .replace(/\$\d+\.\d+/g, "$N")
    .replace(/^(⚠ memory low|memory): .*$/gm, "memory: M");
}
