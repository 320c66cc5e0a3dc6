import { defineConfig } from "vitest/config";

// The real-clients suite (`npm run test:clients`), kept out of `npm test`: its files end in
// .clients.ts, which the main config does not match. The global setup installs the pinned agent
// CLIs into a cache outside the repository first. One file at a time: a CLI's 40 k-token prompt
// keeps both cores busy for a minute.
export default defineConfig({
  test: {
    include: ["test/clients/**/*.clients.ts"],
    globalSetup: ["test/clients/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 300_000,
    pool: "forks",
    env: { UV_THREADPOOL_SIZE: "1" },
  },
});
