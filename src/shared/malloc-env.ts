/**
 * glibc malloc settings for a long-running server. llama.cpp builds each per-request context (and
 * tokenizes large prompts) on its own threads; by default glibc gives each thread an arena of its
 * own and keeps what was freed there, and raises its mmap threshold after the first large free, so
 * the next large blocks come from the arenas too. RSS then grows with every request and does not
 * come back when the server is idle (measured under the fuzz test: about +100 MB over 5,000
 * requests; with these settings +40 MB). Two arenas, and blocks of 128 KiB and more always mapped
 * and unmapped, let freed memory go back to the system.
 */
export const SERVER_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_MMAP_THRESHOLD_: "131072",
  MALLOC_TRIM_THRESHOLD_: "131072",
};
