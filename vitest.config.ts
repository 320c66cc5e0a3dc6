import { defineConfig } from "vitest/config";

// Files run one at a time (fileParallelism off): two at a time made a timing-bound server test
// flaky on two cores. Tests inside a file share one loaded model. Models run on one llama.cpp
// thread (WREN_ENGINE_THREADS for the wren processes tests start, `threads: 1` where a test loads
// one itself): two threads on two busy cores spin against each other and decode a tiny model tens
// of times slower.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { UV_THREADPOOL_SIZE: "1", WREN_ENGINE_THREADS: "1" },
  },
});
