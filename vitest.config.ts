import { defineConfig } from "vitest/config";

// Files that load models run one at a time (fileParallelism off) so the suite fits two cores;
// tests inside a file share one loaded model.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { UV_THREADPOOL_SIZE: "1" },
  },
});
