import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// Two files at a time, on any machine: most of a file's time is spent waiting on the servers and
// CLIs it starts, so two keep two cores busy. Tests inside a file share one loaded model. Models
// run on one llama.cpp thread (WREN_ENGINE_THREADS for the wren processes tests start,
// `threads: 1` where a test loads one itself): two threads on two busy cores spin against each
// other and decode a tiny model tens of times slower. maxWorkers is the whole run's: the two
// projects below share vitest's one pool of two workers, they do not get two each.
//
// Two projects. "pure": the leaf layers and the rule tables, whose tests only call functions, run
// file after file in one worker process without importing wren again for each (`isolate: false`);
// module import was about 190 s of a run. A test file there must leave the process as it found it:
// no vi.mock, vi.stubEnv, fake timers, process.env or cwd changes, module state set through an
// export, listeners, servers or models left behind. One that cannot goes in ISOLATED_IN_PURE.
// "isolated": every other file, in a fresh process of its own, as before. Each file is in exactly
// one project. Projects run in name order, so the short pure files fill the end of the run.
const PURE_DIRS = ["src/shell", "src/permissions", "src/config", "src/protocol", "src/wire"];
/** Test files in PURE_DIRS that change process-wide state, so they run in the isolated project. */
const ISOLATED_IN_PURE = new Set([
  "src/shell/wasm-tiering.test.ts", // sets V8's WebAssembly tiering flag and the module's baseline-only mode
]);

const root = path.dirname(fileURLToPath(import.meta.url));
const PURE = PURE_DIRS.flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => `${dir}/${file.split(path.sep).join("/")}`),
)
  .filter((file) => !ISOLATED_IN_PURE.has(file))
  .sort();

export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { UV_THREADPOOL_SIZE: "1", WREN_ENGINE_THREADS: "1" },
    projects: [
      {
        extends: true,
        test: { name: "isolated", include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...PURE], isolate: true },
      },
      {
        extends: true,
        test: { name: "pure", include: PURE, isolate: false },
      },
    ],
  },
});
