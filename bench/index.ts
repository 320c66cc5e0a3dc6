/**
 * `npm run bench`: every benchmark in one run, printing figures (never pass/fail timings).
 * WREN_BENCH_MODEL overrides the generated Qwen2.5-0.5B-shaped model; WREN_BENCH_ONLY=name runs one;
 * WREN_BENCH_DEBUG=1 prints each stream of the server's concurrency rounds.
 */
import { benchAgentCancel } from "./agent-cancel.js";
import { benchBodyCheck } from "./body-check.js";
import { benchBodyMemory } from "./body-memory.js";
import { benchEngine } from "./engine.js";
import { benchPromptReuse } from "./prompt-reuse.js";
import { benchRouter } from "./router.js";
import { benchServer } from "./server.js";
import { benchServeOverhead } from "./serve-overhead.js";
import { benchShellCheck } from "./shell-check.js";
import { benchShellScripts } from "./shell-scripts.js";
import { benchSpeculative } from "./speculative.js";
import { benchStartUp } from "./start-up.js";
import { benchTui } from "./tui.js";

const benches: Array<[string, () => Promise<void>]> = [
  ["engine", benchEngine],
  ["reuse", benchPromptReuse],
  ["speculative", benchSpeculative],
  ["server", benchServer],
  ["router", benchRouter],
  ["serve-overhead", benchServeOverhead],
  ["body-memory", benchBodyMemory],
  ["body-check", benchBodyCheck],
  [
    "shell",
    async () => {
      await benchShellCheck();
      await benchShellScripts();
    },
  ],
  ["start", benchStartUp],
  ["agent", benchAgentCancel],
  ["tui", benchTui],
];

const only = process.env["WREN_BENCH_ONLY"];
for (const [name, run] of benches) {
  if (only && only !== name) continue;
  console.log(`\n== ${name}`);
  await run();
}
