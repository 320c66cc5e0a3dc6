import { configDefaults, defineConfig } from "vitest/config";

// Two files at a time, on any machine: most of a file's time is spent waiting on the servers and
// CLIs it starts, so two keep two cores busy. Tests inside a file share one loaded model. Models
// run on one llama.cpp thread (WREN_ENGINE_THREADS for the wren processes tests start,
// `threads: 1` where a test loads one itself): two threads on two busy cores spin against each
// other and decode a tiny model tens of times slower. maxWorkers is the whole run's: the two
// projects below share vitest's one pool of two workers, they do not get two each.
//
// Two projects. "shared": nearly every file, run file after file in worker processes that are
// reused (`isolate: false`), so wren's modules and the test helpers are imported once per worker
// instead of once per file: a fresh process per file cost about 0.6 s of CPU, some 170 s of a run.
// A file there must leave the process as it found it: close its servers, stop its child processes,
// dispose its models, and leave no module mocks, fake timers, stubbed globals or environment, cwd
// or process listeners behind. "isolated": the files that cannot (ISOLATED, each with why), each
// in a fresh process of its own. A new test file runs shared unless it is listed there. Each file
// is in exactly one project.
/** Test files that change process-wide state, or test a first import, so they run in a fresh process each. */
const ISOLATED = [
  "src/cli/commands/models-no-probe.test.ts", // vi.mock
  "src/cli/read-prompt.test.ts", // vi.mock
  "src/cli/print-failed-start.test.ts", // vi.stubEnv
  "src/cli/run-request.test.ts", // vi.stubEnv
  "src/cli/sessions.test.ts", // sets and deletes WREN_HOME
  "src/cli/tui/project-files.test.ts", // vi.stubEnv
  "src/providers/wren/model.test.ts", // vi.stubEnv
  "src/providers/sse-data.test.ts", // vi.stubGlobal
  "src/cli/tui/frame-throttle.test.ts", // fake timers
  "src/server/body-budget.test.ts", // fake timers
  "src/server/request-scope.test.ts", // fake timers
  "src/cli/tui/first-frame.test.ts", // spies on the process's output
  "src/cli/commands/bare-no-terminal.test.ts", // sets process.stdin/stdout.isTTY
  "src/providers/anthropic/model.test.ts", // spies on a library's prototype
  "src/runtime/local-checks-first.test.ts", // spies on a module's export
  "src/runtime/serve-checks-first.test.ts", // spies on a module's export
  "src/models/hardware.test.ts", // vi.mock
  "src/tools/mcp/connect.test.ts", // process listeners
  "test/e2e/train-jobs-trouble.test.ts", // process listeners
  "src/shared/abort.test.ts", // V8 flags (--expose-gc)
  "src/tools/web-fetch.test.ts", // V8 flags (--expose-gc)
  "src/engine/engine-load-errors.test.ts", // llama.cpp's log reaches the first backend a process makes only; V8 flags (--expose-gc)
  "src/shell/wasm-tiering.test.ts", // V8's WebAssembly tiering flag and the module's baseline-only mode
  "src/router/first-call-load.test.ts", // a provider library's first import, which a shared process has done already
];

export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // A proxy the machine running the suite names (HTTPS_PROXY, HTTP_PROXY) is not the suite's: its
    // requests stay on this machine, and a name that resolves nowhere must fail as it does offline.
    env: { UV_THREADPOOL_SIZE: "1", WREN_ENGINE_THREADS: "1", HTTPS_PROXY: "", HTTP_PROXY: "", https_proxy: "", http_proxy: "", NO_PROXY: "", no_proxy: "" },
    projects: [
      {
        extends: true,
        test: { name: "isolated", include: ISOLATED, isolate: true },
      },
      {
        extends: true,
        test: { name: "shared", include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...ISOLATED], isolate: false },
      },
    ],
  },
});
