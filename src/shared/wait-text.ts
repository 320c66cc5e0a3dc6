/** A wait or time limit for a message: "400 ms", "30 s", "5 min". */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
