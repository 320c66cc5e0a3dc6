import v8 from "node:v8";

/**
 * The largest budget V8 accepts (a 32-bit int): a function would have to run for billions of
 * instructions' worth of work before it tiered up.
 */
const NEVER = 2 ** 31 - 1;

/**
 * V8's own `--wasm-tiering-budget`, measured: 1,800,000 on V8 11 (Node 20), 13,000,000 on V8 12 and
 * 13 (Node 22 and 24). V8 has no way to read a flag back, so the default is known here.
 */
function v8DefaultBudget(v8Version: string): number {
  return Number(v8Version.split(".")[0]) <= 11 ? 1_800_000 : 13_000_000;
}

/**
 * The tiering budget this process was started with: a `--wasm-tiering-budget` in `NODE_OPTIONS` or on
 * node's command line (the command line wins, as in Node), else V8's default.
 */
export function startupTieringBudget(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env["NODE_OPTIONS"] ?? "", v8Version = process.versions.v8): number {
  let budget = v8DefaultBudget(v8Version);
  const args = [...nodeOptions.split(/\s+/), ...execArgv];
  args.forEach((arg, i) => {
    const m = /^--wasm[-_]tiering[-_]budget(?:=(\d+))?$/.exec(arg);
    const value = m ? (m[1] ?? args[i + 1]) : undefined;
    if (value !== undefined && /^\d+$/.test(value)) budget = Number(value);
  });
  return budget;
}

/**
 * Runs `instantiate` with WebAssembly tier-up off for the instances it creates, and for them only.
 *
 * V8 runs WebAssembly on its baseline compiler (Liftoff) and recompiles a function with TurboFan once
 * it has used up its tiering budget, which V8 reads when a module is instantiated. The bash grammar's
 * lexer is one 160 KB function: one parse of an ordinary command line (`git status && npm test >
 * out.txt`) uses up its budget, and its TurboFan compile then takes 1.3–2.4 s of CPU and 60 MB (Node
 * 20), 700 MB on Node 24, on a background thread that the process waits for before it exits; it made
 * `wren cmd --check` take about 2 s. Liftoff's code parses a command line in about 0.1 ms, and over
 * 3,000 lines it is still faster than tiering up, so the parser's instances never tier up. The budget
 * is set back afterwards, so other WebAssembly in the process (undici's HTTP parser) tiers up as usual;
 * a module instantiated by other code while `instantiate` awaits would not tier up either, which
 * costs it speed, never correctness.
 */
export async function withoutTierUp<T>(instantiate: () => Promise<T>): Promise<T> {
  v8.setFlagsFromString(`--wasm-tiering-budget=${NEVER}`);
  try {
    return await instantiate();
  } finally {
    v8.setFlagsFromString(`--wasm-tiering-budget=${startupTieringBudget()}`);
  }
}
