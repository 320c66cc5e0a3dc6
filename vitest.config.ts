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

/**
 * Test files outside PURE_DIRS that only call functions too, or start loopback fake upstreams and
 * close them: no mocks, fake timers, process state, models, child processes or files. A new test
 * file elsewhere runs isolated until it is listed here.
 */
const PURE_FILES = [
  "src/agent/plan-critique.test.ts",
  "src/agent/refusal-text.test.ts",
  "src/cli/agent-output.test.ts",
  "src/cli/cmd-output.test.ts",
  "src/cli/commands/index.test.ts",
  "src/cli/daemon-notice-text.test.ts",
  "src/cli/daemon-status-text.test.ts",
  "src/cli/fast-check-args.test.ts",
  "src/cli/flag-names.test.ts",
  "src/cli/help-defaults.test.ts",
  "src/cli/report-error.test.ts",
  "src/cli/router-tables.test.ts",
  "src/cli/setup/draft.test.ts",
  "src/cli/tui/completion.test.ts",
  "src/cli/tui/context-usage.test.ts",
  "src/cli/tui/input/key-splitter.test.ts",
  "src/cli/tui/input/line-edit.test.ts",
  "src/cli/tui/input/split-stdin.test.ts",
  "src/cli/tui/items.test.ts",
  "src/cli/tui/markdown.test.ts",
  "src/cli/tui/model-load-text.test.ts",
  "src/cli/tui/settled-markdown.test.ts",
  "src/cli/tui/slash-commands.test.ts",
  "src/cli/tui/status-format.test.ts",
  "src/cli/tui/todo-window.test.ts",
  "src/engine/admission.test.ts",
  "src/engine/text-tool-calls.test.ts",
  "src/models/file-version.test.ts",
  "src/models/hub.test.ts",
  "src/models/progress.test.ts",
  "src/peers/browse.test.ts",
  "src/providers/abort-listeners.test.ts",
  "src/providers/answer-bound.test.ts",
  "src/providers/gemini/model.test.ts",
  "src/providers/lazy-model.test.ts",
  "src/providers/mappings.test.ts",
  "src/providers/ollama/model.test.ts",
  "src/providers/openai-compatible/model.test.ts",
  "src/providers/openai-compatible/plain-chunk.test.ts",
  "src/providers/peer/select.test.ts",
  "src/providers/registry.test.ts",
  "src/router/budget-routing.test.ts",
  "src/router/consent.test.ts",
  "src/router/cost.test.ts",
  "src/router/failover.test.ts",
  "src/router/outcome.test.ts",
  "src/router/plan.test.ts",
  "src/router/rate-limit.test.ts",
  "src/router/report.test.ts",
  "src/router/router.test.ts",
  "src/router/stream-idle.test.ts",
  "src/router/teacher-errors.test.ts",
  "src/router/wait-for-local.test.ts",
  "src/router/whole-answer.test.ts",
  "src/runtime/agent-daemon-model.test.ts",
  "src/runtime/client-keys.test.ts",
  "src/runtime/default-agrees.test.ts",
  "src/runtime/default-model.test.ts",
  "src/runtime/routed-name.test.ts",
  "src/runtime/serving-heap.test.ts",
  "src/runtime/train/redact.test.ts",
  "src/server/body-check.test.ts",
  "src/server/codecs/anthropic-response.test.ts",
  "src/server/codecs/block-sequencer.test.ts",
  "src/server/codecs/gemini-error.test.ts",
  "src/server/codecs/gemini-schema.test.ts",
  "src/server/codecs/ollama-keep-alive.test.ts",
  "src/server/codecs/responses-events.test.ts",
  "src/server/codecs/tool-input.test.ts",
  "src/server/responses-store.test.ts",
  "src/server/responses-truncation.test.ts",
  "src/server/routes/router.test.ts",
  "src/shared/errors.test.ts",
  "src/shared/json-depth.test.ts",
  "src/shared/peer-signature.test.ts",
  "src/shared/zod-parse.test.ts",
  "src/tools/capped-output.test.ts",
  "src/tools/text-file.test.ts",
];

const root = path.dirname(fileURLToPath(import.meta.url));
const PURE = PURE_DIRS.flatMap((dir) =>
  readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => `${dir}/${file.split(path.sep).join("/")}`),
)
  .filter((file) => !ISOLATED_IN_PURE.has(file))
  .concat(PURE_FILES)
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
