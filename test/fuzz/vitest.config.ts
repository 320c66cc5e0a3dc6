import { defineConfig } from "vitest/config";

// The fuzz test of `wren serve` (`npm run test:fuzz`), kept out of `npm test`: its files end in
// .fuzz.ts, which the main config does not match. One file at a time, like the main suite.
export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.fuzz.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
