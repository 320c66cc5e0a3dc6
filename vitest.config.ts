import { defineConfig } from "vitest/config";

// Two files at a time, on any machine: most of a file's time is spent waiting on the servers and
// CLIs it starts, so two keep two cores busy. Tests inside a file share one loaded model. Models
// run on one llama.cpp thread (WREN_ENGINE_THREADS for the wren processes tests start,
// `threads: 1` where a test loads one itself): two threads on two busy cores spin against each
// other and decode a tiny model tens of times slower.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { UV_THREADPOOL_SIZE: "1", WREN_ENGINE_THREADS: "1" },
  },
});
